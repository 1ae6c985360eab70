package kubernetes.admission.network_test

import data.kubernetes.admission.network
import data.lib.testing

# Replicated NetworkPolicies (namespaced: data.kubernetes.networkpolicies[namespace][name]).
network_policy(ns, name) := {ns: {name: {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": name, "namespace": ns}, "spec": {"podSelector": {}}}}}

apps_policy := network_policy("apps", "default-deny")

unprotected := "pod: namespace apps has no NetworkPolicy, so any Pod may reach this one"

# warn and deny for a review, with the given replicated NetworkPolicies and network knobs.
decision(review, policies, config) := {"warn": w, "deny": d} if {
	w := network.warn with input as review
		with data.kubernetes.networkpolicies as policies
		with data.config.network as config
	d := network.deny with input as review
		with data.kubernetes.networkpolicies as policies
		with data.config.network as config
}

pod_in(ns) := testing.review(ns, testing.restricted_pod)

operation(review, op) := json.patch(review, [{"op": "replace", "path": "/request/operation", "value": op}])

# NetworkPolicies.

test_warn_without_network_policy if {
	decision(pod_in("apps"), {}, {}) == {"warn": {unprotected}, "deny": set()}
}

test_quiet_with_a_network_policy if {
	decision(pod_in("apps"), apps_policy, {}) == {"warn": set(), "deny": set()}
	decision(pod_in("apps"), apps_policy, {"require_network_policy": true}) == {"warn": set(), "deny": set()}
}

test_policies_of_other_namespaces_do_not_count if {
	decision(pod_in("apps"), network_policy("other", "default-deny"), {}) == {"warn": {unprotected}, "deny": set()}
	decision(pod_in("apps"), {"apps": {}}, {}) == {"warn": {unprotected}, "deny": set()}
}

test_deny_when_required if {
	decision(pod_in("apps"), {}, {"require_network_policy": true}) == {"warn": set(), "deny": {unprotected}}
	decision(pod_in("apps"), {}, {"require_network_policy": false}) == {"warn": {unprotected}, "deny": set()}
}

test_message_names_the_namespace if {
	decision(pod_in("legacy"), apps_policy, {}).warn == {"pod: namespace legacy has no NetworkPolicy, so any Pod may reach this one"}
}

test_only_on_create if {
	update := json.patch(pod_in("apps"), [
		{"op": "replace", "path": "/request/operation", "value": "UPDATE"},
		{"op": "add", "path": "/request/oldObject", "value": json.patch(testing.restricted_pod, [{"op": "add", "path": "/metadata/labels", "value": {"v": "1"}}])},
	])
	decision(update, {}, {}) == {"warn": set(), "deny": set()}
	decision(update, {}, {"require_network_policy": true}) == {"warn": set(), "deny": set()}
	decision(operation(pod_in("apps"), "DELETE"), {}, {"require_network_policy": true}) == {"warn": set(), "deny": set()}
}

test_workload_templates if {
	deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": testing.restricted_pod}}
	decision(testing.review("apps", deployment), {}, {}).warn == {unprotected}
	cronjob := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": testing.restricted_pod}}}}
	decision(testing.review("apps", cronjob), {}, {"require_network_policy": true}).deny == {unprotected}
}

test_other_kinds_need_no_network_policy if {
	configmap := {"kind": "ConfigMap", "metadata": {"name": "c"}}
	decision(testing.review("apps", configmap), {}, {"require_network_policy": true}) == {"warn": set(), "deny": set()}
	decision(testing.review("apps", service("ClusterIP")), {}, {"require_network_policy": true}) == {"warn": set(), "deny": set()}
}

test_exempt_namespaces_need_no_network_policy if {
	decision(pod_in("kube-system"), {}, {"require_network_policy": true}) == {"warn": set(), "deny": set()}
	w := network.warn with input as pod_in("legacy")
		with data.kubernetes.networkpolicies as {}
		with data.config as {"exempt_namespaces": ["legacy"]}
	count(w) == 0
}

# NodePort Services.

service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"type": type, "ports": [{"port": 80}]}}

node_port_deny(ns, obj, namespaces) := d if {
	d := network.deny with input as testing.review(ns, obj)
		with data.config.network as {"node_port_namespaces": namespaces}
}

test_node_port_denied if {
	node_port_deny("apps", service("NodePort"), []) == {"service web: spec.type NodePort is not allowed in namespace apps (allowed in: none)"}
	node_port_deny("apps", service("NodePort"), ["edge"]) == {"service web: spec.type NodePort is not allowed in namespace apps (allowed in: edge)"}
	node_port_deny("apps", service("NodePort"), ["edge", "ingress"]) == {"service web: spec.type NodePort is not allowed in namespace apps (allowed in: edge, ingress)"}
}

test_node_port_denied_by_default if {
	d := network.deny with input as testing.review("apps", service("NodePort"))
		with data.config as {}
	d == {"service web: spec.type NodePort is not allowed in namespace apps (allowed in: none)"}
}

test_node_port_allowed_namespace if {
	count(node_port_deny("edge", service("NodePort"), ["edge"])) == 0
	count(node_port_deny("ingress", service("NodePort"), ["edge", "ingress"])) == 0
}

test_other_service_types if {
	every type in ["ClusterIP", "LoadBalancer", "ExternalName"] {
		count(node_port_deny("apps", service(type), [])) == 0
	}
	untyped := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(node_port_deny("apps", untyped, [])) == 0
}

test_node_port_operations if {
	# Changing a Service to NodePort is denied too.
	update := json.patch(testing.review("apps", service("NodePort")), [
		{"op": "replace", "path": "/request/operation", "value": "UPDATE"},
		{"op": "add", "path": "/request/oldObject", "value": service("ClusterIP")},
	])
	d := network.deny with input as update
		with data.config.network as {}
	count(d) == 1
	delete := network.deny with input as operation(testing.review("apps", service("NodePort")), "DELETE")
		with data.config.network as {}
	count(delete) == 0
	kube_system := network.deny with input as testing.review("kube-system", service("NodePort"))
		with data.config as {}
	count(kube_system) == 0
}

# Ingress hosts.

ingress(ns, name, hosts) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": ns}, "spec": {"rules": [{"host": h} | some h in hosts]}}

# Replicated Ingresses (data.kubernetes.ingresses[namespace][name]).
ingresses := {
	"team-a": {"store": ingress("team-a", "store", ["shop.example.com"])},
	"team-c": {"blog": ingress("team-c", "blog", ["blog.example.com", "www.example.com"])},
}

ingress_deny(review) := d if {
	d := network.deny with input as review
		with data.kubernetes.ingresses as ingresses
}

test_ingress_host_taken_in_another_namespace if {
	ingress_deny(testing.review("team-b", ingress("team-b", "shop", ["api.example.com", "shop.example.com"]))) == {"ingress shop: spec.rules[1].host shop.example.com is already used by ingress team-a/store"}
}

test_ingress_same_name_in_another_namespace if {
	ingress_deny(testing.review("team-b", ingress("team-b", "store", ["shop.example.com"]))) == {"ingress store: spec.rules[0].host shop.example.com is already used by ingress team-a/store"}
}

test_ingress_host_taken_in_the_same_namespace if {
	ingress_deny(testing.review("team-a", ingress("team-a", "store-v2", ["shop.example.com"]))) == {"ingress store-v2: spec.rules[0].host shop.example.com is already used by ingress team-a/store"}
}

test_ingress_every_clash_reported if {
	ingress_deny(testing.review("team-b", ingress("team-b", "all", ["shop.example.com", "www.example.com"]))) == {
		"ingress all: spec.rules[0].host shop.example.com is already used by ingress team-a/store",
		"ingress all: spec.rules[1].host www.example.com is already used by ingress team-c/blog",
	}
}

test_ingress_updating_itself if {
	update := json.patch(testing.review("team-a", ingress("team-a", "store", ["shop.example.com", "new.example.com"])), [
		{"op": "replace", "path": "/request/operation", "value": "UPDATE"},
		{"op": "add", "path": "/request/oldObject", "value": ingress("team-a", "store", ["shop.example.com"])},
	])
	count(ingress_deny(update)) == 0
}

test_ingress_audited_against_itself if {
	# regent audit reviews each replicated Ingress, which is in data.kubernetes.ingresses too.
	count(ingress_deny(testing.review("team-c", ingresses["team-c"].blog))) == 0
}

test_ingress_new_host if {
	count(ingress_deny(testing.review("team-b", ingress("team-b", "api", ["api.example.com"])))) == 0
	count(ingress_deny(testing.review("team-b", ingress("team-b", "api", [])))) == 0
}

test_ingress_rules_without_host if {
	hostless := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "default"}, "spec": {"rules": [{"http": {"paths": []}}]}}
	d := network.deny with input as testing.review("team-b", hostless)
		with data.kubernetes.ingresses as {"team-d": {"other": hostless}}
	count(d) == 0
}

test_ingress_without_replicated_ingresses if {
	d := network.deny with input as testing.review("team-b", ingress("team-b", "shop", ["shop.example.com"]))
		with data.kubernetes.ingresses as {}
	count(d) == 0
}

test_ingress_not_checked if {
	taken := ingress("team-b", "shop", ["shop.example.com"])
	count(ingress_deny(operation(testing.review("team-b", taken), "DELETE"))) == 0
	count(ingress_deny(testing.review("kube-system", ingress("kube-system", "shop", ["shop.example.com"])))) == 0
}
