package kubernetes.admission_test

import data.kubernetes.admission
import data.lib.testing

# One Pod breaking a rule of every part: a privileged container from an unknown registry, in an
# untrusted namespace with no NetworkPolicy.
everything_wrong := testing.changed([
	{"op": "replace", "path": "/spec/containers/0/image", "value": "evil.io/miner:1"},
	{"op": "add", "path": "/spec/containers/0/securityContext/privileged", "value": true},
])

decision(obj) := {"deny": d, "warn": w, "annotations": a} if {
	d := admission.deny with input as testing.review("apps", obj)
		with data.config as {"images": {"allowed_registries": ["registry.example.com/"]}, "runtime": {"untrusted_namespaces": ["apps"]}}
		with data.kubernetes.networkpolicies as {}
	w := admission.warn with input as testing.review("apps", obj)
		with data.config as {"pod_security": {"default_warn_profile": "restricted"}}
		with data.kubernetes.networkpolicies as {}
	a := admission.audit_annotations with input as testing.review("apps", obj)
}

test_deny_gathers_every_part if {
	decision(everything_wrong).deny == {
		"container app: spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]",
		"container app: spec.containers[0].image evil.io/miner:1 comes from a registry that is not allowed (allowed: registry.example.com/)",
		"pod: spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)",
	}
}

test_warn_gathers_every_part if {
	baseline_only := testing.changed([{"op": "remove", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation"}])
	decision(baseline_only).warn == {
		"container app: spec.containers[0].securityContext.allowPrivilegeEscalation must be false (it is not set) [would violate profile restricted]",
		"pod: namespace apps has no NetworkPolicy, so any Pod may reach this one",
	}
}

test_network_deny_gathered if {
	d := admission.deny with input as testing.review("apps", {"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "NodePort"}})
	d == {"service s: spec.type NodePort is not allowed in namespace apps (allowed in: none)"}
}

test_patch_from_mutation if {
	obj := testing.changed([{"op": "remove", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation"}])
	admission.patch == {{"op": "add", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation", "value": false}} with input as testing.review("apps", obj)
}

test_profile_audit_annotation if {
	decision(testing.restricted_pod).annotations == {"pod-security-profile": "baseline"}
	count(admission.audit_annotations) == 0 with input as testing.review("apps", {"kind": "ConfigMap", "metadata": {"name": "c"}})
}
