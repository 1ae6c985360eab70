package kubernetes.admission_test

import data.kubernetes.admission
import data.kubernetes.admission.images
import data.kubernetes.admission.mutation
import data.kubernetes.admission.network
import data.kubernetes.admission.pod_security
import data.kubernetes.admission.runtime
import data.lib.testing

# The whole of data.config, so that config/data.json does not decide: registry.example.com only,
# namespace apps untrusted, a NetworkPolicy required, restricted warnings.
config := {
	"images": {"allowed_registries": ["registry.example.com/"]},
	"runtime": {"untrusted_namespaces": ["apps"]},
	"network": {"require_network_policy": true},
	"pod_security": {"default_profile": "baseline", "default_warn_profile": "restricted"},
	"mutation": {"enabled": true},
}

# As config, with warnings instead of denials where a part has both.
lenient := object.union(config, {"runtime": {"untrusted_namespaces": []}, "network": {"require_network_policy": false}})

network_policies := {"apps": {"default-deny": {"kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "apps"}, "spec": {"podSelector": {}}}}}

# The decision of kubernetes.admission for obj in namespace ns, and what each part says.
decision(ns, obj, cfg, policies) := {"deny": d, "warn": w, "patch": p, "annotations": a} if {
	review := testing.review(ns, obj)
	d := admission.deny with input as review with data.config as cfg with data.kubernetes.networkpolicies as policies
	w := admission.warn with input as review with data.config as cfg with data.kubernetes.networkpolicies as policies
	p := admission.patch with input as review with data.config as cfg with data.kubernetes.networkpolicies as policies
	a := admission.audit_annotations with input as review with data.config as cfg with data.kubernetes.networkpolicies as policies
}

parts(ns, obj, cfg, policies) := {"deny": d, "warn": w, "patch": p} if {
	review := testing.review(ns, obj)
	d := {
		"pod_security": pod_security.deny,
		"images": images.deny,
		"runtime": runtime.deny,
		"network": network.deny,
	}
		with input as review
		with data.config as cfg
		with data.kubernetes.networkpolicies as policies
	w := {"pod_security": pod_security.warn, "network": network.warn} with input as review
		with data.config as cfg
		with data.kubernetes.networkpolicies as policies
	p := mutation.patch with input as review
		with data.config as cfg
		with data.kubernetes.networkpolicies as policies
}

# One Pod breaking a rule of every part: a privileged container from an unknown registry, in an
# untrusted namespace with no NetworkPolicy.
everything_wrong := testing.changed([
	{"op": "replace", "path": "/spec/containers/0/image", "value": "evil.io/miner:1"},
	{"op": "add", "path": "/spec/containers/0/securityContext/privileged", "value": true},
])

test_deny_gathers_every_part if {
	decision("apps", everything_wrong, config, {}).deny == {
		"container app: spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]",
		"container app: spec.containers[0].image evil.io/miner:1 comes from a registry that is not allowed (allowed: registry.example.com/)",
		"pod: spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)",
		"pod: namespace apps has no NetworkPolicy, so any Pod may reach this one",
	}
}

test_deny_is_the_union_of_the_parts if {
	p := parts("apps", everything_wrong, config, {})
	every part, msgs in p.deny {
		count(msgs) > 0
	}
	decision("apps", everything_wrong, config, {}).deny == p.deny.pod_security | p.deny.images | p.deny.runtime | p.deny.network
}

test_deny_from_each_part_alone if {
	# pod_security only.
	privileged := testing.changed([{"op": "add", "path": "/spec/containers/0/securityContext/privileged", "value": true}])
	decision("apps", privileged, lenient, network_policies).deny == {"container app: spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]"}

	# images only.
	latest := testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": "registry.example.com/app:latest"}])
	decision("apps", latest, lenient, network_policies).deny == {"container app: spec.containers[0].image registry.example.com/app:latest uses the mutable tag latest; name a version (or a digest)"}

	# runtime only.
	decision("apps", testing.restricted_pod, config, network_policies).deny == {"pod: spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}

	# network only: a Pod without NetworkPolicy, a NodePort Service, an Ingress host taken.
	decision("web", testing.restricted_pod, config, {}).deny == {"pod: namespace web has no NetworkPolicy, so any Pod may reach this one"}
	decision("apps", {"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "NodePort"}}, config, {}).deny == {"service s: spec.type NodePort is not allowed in namespace apps (allowed in: none)"}
	shop := {"kind": "Ingress", "metadata": {"name": "shop"}, "spec": {"rules": [{"host": "shop.example.com"}]}}
	d := admission.deny with input as testing.review("team-b", shop)
		with data.config as config
		with data.kubernetes.ingresses as {"team-a": {"store": shop}}
	d == {"ingress shop: spec.rules[0].host shop.example.com is already used by ingress team-a/store"}
}

test_a_good_pod_passes if {
	decision("apps", testing.restricted_pod, lenient, network_policies) == {"deny": set(), "warn": set(), "patch": set(), "annotations": {"pod-security-profile": "baseline"}}
	gvisor := json.patch(testing.restricted_pod, [{"op": "add", "path": "/spec/runtimeClassName", "value": "gvisor"}])
	d := admission.deny with input as testing.review("apps", gvisor)
		with data.config as config
		with data.kubernetes.networkpolicies as network_policies
		with data.kubernetes.runtimeclasses as {"gvisor": {"kind": "RuntimeClass", "metadata": {"name": "gvisor"}, "handler": "runsc"}}
	count(d) == 0
}

test_warn_gathers_every_part if {
	baseline_only := testing.changed([{"op": "remove", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation"}])
	decision("apps", baseline_only, lenient, {}).warn == {
		"container app: spec.containers[0].securityContext.allowPrivilegeEscalation must be false (it is not set) [would violate profile restricted]",
		"pod: namespace apps has no NetworkPolicy, so any Pod may reach this one",
	}
	p := parts("apps", baseline_only, lenient, {})
	decision("apps", baseline_only, lenient, {}).warn == p.warn.pod_security | p.warn.network
}

test_warnings_do_not_deny if {
	baseline_only := testing.changed([{"op": "remove", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation"}])
	decision("apps", baseline_only, lenient, {}).deny == set()
}

test_patch_from_mutation if {
	obj := testing.changed([{"op": "remove", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation"}])
	decision("apps", obj, lenient, network_policies).patch == {{"op": "add", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation", "value": false}}

	bare := testing.pod({"containers": [{"name": "app", "image": "registry.example.com/app:1"}]})
	p := parts("apps", bare, lenient, network_policies).patch
	count(p) > 0
	decision("apps", bare, lenient, network_policies).patch == p
}

test_no_patch_when_mutation_is_off if {
	bare := testing.pod({"containers": [{"name": "app", "image": "registry.example.com/app:1"}]})
	off := object.union(lenient, {"mutation": {"enabled": false}})
	decision("apps", bare, off, network_policies).patch == set()
}

test_profile_audit_annotation if {
	decision("apps", testing.restricted_pod, lenient, network_policies).annotations == {"pod-security-profile": "baseline"}
	restricted := admission.audit_annotations with input as testing.review("apps", testing.restricted_pod)
		with data.config as lenient
		with data.kubernetes.namespaces as testing.profile_namespace("restricted")
	restricted == {"pod-security-profile": "restricted"}
	by_default := object.union(lenient, {"pod_security": {"default_profile": "restricted"}})
	decision("apps", testing.restricted_pod, by_default, network_policies).annotations == {"pod-security-profile": "restricted"}

	# The profile is named for denied Pods too.
	decision("apps", everything_wrong, config, {}).annotations == {"pod-security-profile": "baseline"}
}

test_no_audit_annotation_when_no_profile_applies if {
	decision("apps", {"kind": "ConfigMap", "metadata": {"name": "c"}}, lenient, {}).annotations == {}
	decision("kube-system", testing.restricted_pod, lenient, {}).annotations == {}
	exempt_user := json.patch(testing.review("apps", testing.restricted_pod), [{"op": "add", "path": "/request/userInfo", "value": {"username": "system:admin"}}])
	a := admission.audit_annotations with input as exempt_user
		with data.config as object.union(lenient, {"pod_security": {"exempt_users": ["system:admin"]}})
	a == {}
}

test_exempt_namespace_gets_nothing if {
	decision("kube-system", everything_wrong, config, {}) == {"deny": set(), "warn": set(), "patch": set(), "annotations": {}}
}

test_delete_gets_nothing if {
	delete := json.patch(testing.review("apps", everything_wrong), [{"op": "replace", "path": "/request/operation", "value": "DELETE"}])
	d := admission.deny with input as delete with data.config as config with data.kubernetes.networkpolicies as {}
	w := admission.warn with input as delete with data.config as config with data.kubernetes.networkpolicies as {}
	p := admission.patch with input as delete with data.config as config with data.kubernetes.networkpolicies as {}
	a := admission.audit_annotations with input as delete with data.config as config
	[d, w, p, a] == [set(), set(), set(), {}]
}
