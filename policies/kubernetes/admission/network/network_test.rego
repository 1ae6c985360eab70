package kubernetes.admission.network_test

import data.kubernetes.admission.network
import data.lib.testing

policy := {"default-deny": {"kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "apps"}, "spec": {"podSelector": {}}}}

unprotected := "pod: namespace apps has no NetworkPolicy, so any Pod may reach this one"

test_warn_without_network_policy if {
	w := network.warn with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.networkpolicies as {}
	w == {unprotected}
	d := network.deny with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.networkpolicies as {}
	count(d) == 0
}

test_quiet_with_a_network_policy if {
	w := network.warn with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.networkpolicies as {"apps": policy}
	count(w) == 0
	w2 := network.warn with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.networkpolicies as {"apps": {}}
	w2 == {unprotected}
}

test_deny_when_required if {
	d := network.deny with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.networkpolicies as {}
		with data.config.network.require_network_policy as true
	d == {unprotected}
	w := network.warn with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.networkpolicies as {}
		with data.config.network.require_network_policy as true
	count(w) == 0
}

test_only_on_create if {
	update := json.patch(testing.review("apps", testing.restricted_pod), [{"op": "replace", "path": "/request/operation", "value": "UPDATE"}])
	count(network.warn) == 0 with input as update with data.kubernetes.networkpolicies as {}
}

service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"type": type, "ports": [{"port": 80}]}}

test_node_port_denied if {
	d := network.deny with input as testing.review("apps", service("NodePort"))
	d == {"service web: spec.type NodePort is not allowed in namespace apps (allowed in: none)"}
	d2 := network.deny with input as testing.review("apps", service("NodePort"))
		with data.config.network.node_port_namespaces as ["edge"]
	d2 == {"service web: spec.type NodePort is not allowed in namespace apps (allowed in: edge)"}
}

test_node_port_allowed_namespace if {
	d := network.deny with input as testing.review("edge", service("NodePort"))
		with data.config.network.node_port_namespaces as ["edge"]
	count(d) == 0
	count(network.deny) == 0 with input as testing.review("apps", service("ClusterIP"))
}

ingress(ns, name, hosts) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": ns}, "spec": {"rules": [{"host": h} | some h in hosts]}}

ingresses := {"team-a": {"store": ingress("team-a", "store", ["shop.example.com"])}}

test_ingress_host_taken if {
	d := network.deny with input as testing.review("team-b", ingress("team-b", "shop", ["www.example.com", "shop.example.com"]))
		with data.kubernetes.ingresses as ingresses
	d == {"ingress shop: spec.rules[1].host shop.example.com is already used by ingress team-a/store"}
}

test_ingress_updating_itself if {
	update := json.patch(testing.review("team-a", ingress("team-a", "store", ["shop.example.com"])), [{"op": "replace", "path": "/request/operation", "value": "UPDATE"}])
	count(network.deny) == 0 with input as update with data.kubernetes.ingresses as ingresses
}

test_ingress_new_host if {
	d := network.deny with input as testing.review("team-b", ingress("team-b", "blog", ["blog.example.com"]))
		with data.kubernetes.ingresses as ingresses
	count(d) == 0
}
