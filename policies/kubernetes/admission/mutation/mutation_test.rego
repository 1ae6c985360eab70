package kubernetes.admission.mutation_test

import data.kubernetes.admission.mutation
import data.kubernetes.admission.pod_security
import data.lib.testing

bare_pod := testing.pod({
	"containers": [{"name": "app", "image": "registry.example.com/app:1.0"}],
	"initContainers": [{"name": "setup", "image": "registry.example.com/setup:1.0", "securityContext": {"runAsUser": 1000}}],
})

patch_of(obj) := p if {
	p := mutation.patch with input as testing.review("apps", obj)
}

# The Pod after its patch, as the API server would apply it.
patched(obj) := json.patch(obj, [op | some op in patch_of(obj)])

restricted_violations(obj) := vs if {
	vs := pod_security.violation with input as testing.review("apps", obj)
}

test_bare_pod_gets_every_default if {
	patch_of(bare_pod) == {
		{"op": "add", "path": "/spec/securityContext", "value": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}},
		{"op": "add", "path": "/spec/containers/0/securityContext", "value": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}},
		{"op": "add", "path": "/spec/initContainers/0/securityContext/allowPrivilegeEscalation", "value": false},
		{"op": "add", "path": "/spec/initContainers/0/securityContext/capabilities", "value": {"drop": ["ALL"]}},
	}
}

test_patched_pod_passes_restricted if {
	count(restricted_violations(bare_pod)) > 0
	count(restricted_violations(patched(bare_pod))) == 0
}

test_present_settings_are_kept if {
	count(patch_of(testing.restricted_pod)) == 0
}

test_missing_fields_inside_existing_objects if {
	obj := testing.changed([
		{"op": "replace", "path": "/spec/securityContext", "value": {"fsGroup": 2000}},
		{"op": "replace", "path": "/spec/containers/0/securityContext", "value": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}},
	])
	patch_of(obj) == {
		{"op": "add", "path": "/spec/securityContext/runAsNonRoot", "value": true},
		{"op": "add", "path": "/spec/securityContext/seccompProfile", "value": {"type": "RuntimeDefault"}},
		{"op": "add", "path": "/spec/containers/0/securityContext/allowPrivilegeEscalation", "value": false},
		{"op": "add", "path": "/spec/containers/0/securityContext/capabilities/drop", "value": ["ALL"]},
	}
	count(restricted_violations(patched(obj))) == 0
}

test_drop_list_gets_all if {
	obj := testing.changed([{"op": "replace", "path": "/spec/containers/0/securityContext/capabilities/drop", "value": ["NET_RAW"]}])
	patch_of(obj) == {{"op": "add", "path": "/spec/containers/0/securityContext/capabilities/drop/-", "value": "ALL"}}
	patched(obj).spec.containers[0].securityContext.capabilities.drop == ["NET_RAW", "ALL"]
}

test_root_user_keeps_root if {
	obj := json.patch(bare_pod, [{"op": "add", "path": "/spec/securityContext", "value": {"runAsUser": 0}}])
	patch_of(obj) == {
		{"op": "add", "path": "/spec/securityContext/seccompProfile", "value": {"type": "RuntimeDefault"}},
		{"op": "add", "path": "/spec/containers/0/securityContext", "value": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}},
		{"op": "add", "path": "/spec/initContainers/0/securityContext/allowPrivilegeEscalation", "value": false},
		{"op": "add", "path": "/spec/initContainers/0/securityContext/capabilities", "value": {"drop": ["ALL"]}},
	}
}

test_privileged_and_sys_admin_containers if {
	obj := testing.pod({
		"containers": [
			{"name": "a", "image": "i:1", "securityContext": {"privileged": true}},
			{"name": "b", "image": "i:1", "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}},
		],
	})
	{op.path | some op in patch_of(obj)} == {"/spec/securityContext", "/spec/containers/1/securityContext/capabilities/drop"}
}

test_seccomp_annotation_is_respected if {
	obj := json.patch(bare_pod, [{"op": "add", "path": "/metadata/annotations", "value": {"seccomp.security.alpha.kubernetes.io/pod": "runtime/default"}}])
	some op in patch_of(obj)
	op.path == "/spec/securityContext"
	op.value == {"runAsNonRoot": true}
}

test_windows_pods if {
	obj := json.patch(bare_pod, [{"op": "add", "path": "/spec/os", "value": {"name": "windows"}}])
	patch_of(obj) == {{"op": "add", "path": "/spec/securityContext", "value": {"runAsNonRoot": true}}}
}

test_nothing_to_add_at_pod_level if {
	obj := json.patch(bare_pod, [{"op": "add", "path": "/spec/securityContext", "value": {"runAsUser": 0, "seccompProfile": {"type": "Localhost"}}}])
	every op in patch_of(obj) {
		not startswith(op.path, "/spec/securityContext")
	}
}

test_not_applied if {
	# exempt namespaces, privileged namespaces, updates, other kinds, and when disabled
	count(mutation.patch) == 0 with input as testing.review("kube-system", bare_pod)
	count(mutation.patch) == 0 with input as testing.review("apps", bare_pod)
		with data.kubernetes.namespaces as testing.profile_namespace("privileged")
	update := json.patch(testing.review("apps", bare_pod), [{"op": "replace", "path": "/request/operation", "value": "UPDATE"}])
	count(mutation.patch) == 0 with input as update
	count(mutation.patch) == 0 with input as testing.review("apps", {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": bare_pod}})
	count(mutation.patch) == 0 with input as testing.review("apps", bare_pod)
		with data.config.mutation.enabled as false
}
