package kubernetes.admission.pod_security_test

import data.kubernetes.admission.pod_security
import data.lib.testing

remove(path) := testing.changed([{"op": "remove", "path": path}])

test_volume_types if {
	obj := add("/spec/volumes", [{"name": "data", "emptyDir": {}}, {"name": "share", "nfs": {"server": "nfs", "path": "/"}}])
	messages(obj, "restricted") == {"pod: spec.volumes[1] (share) has type nfs, which is not allowed (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret)"}
}

test_host_path_reported_once if {
	# baseline reports it; restricted adds nothing.
	count(messages(host_path_pod(true), "restricted")) == 0
	vs := pod_security.violation with input as testing.review("apps", host_path_pod(true))
		with data.config.pod_security.allowed_host_paths as [{"path_prefix": "/var/log"}]
	{v.level | some v in vs} == {"restricted"}
}

test_privilege_escalation if {
	messages(remove("/spec/containers/0/securityContext/allowPrivilegeEscalation"), "restricted") == {"container app: spec.containers[0].securityContext.allowPrivilegeEscalation must be false (it is not set)"}
	messages(add("/spec/containers/0/securityContext/allowPrivilegeEscalation", true), "restricted") == {"container app: spec.containers[0].securityContext.allowPrivilegeEscalation must be false (it is true)"}
}

test_windows_pods_skip_linux_settings if {
	obj := testing.changed([
		{"op": "add", "path": "/spec/os", "value": {"name": "windows"}},
		{"op": "remove", "path": "/spec/securityContext/seccompProfile"},
		{"op": "replace", "path": "/spec/containers/0/securityContext", "value": {}},
	])
	count(violations(obj)) == 0
}

test_root_user if {
	messages(add("/spec/securityContext/runAsUser", 0), "restricted") == {"container app: spec.securityContext.runAsUser is 0; containers must not run as root"}
	# The container's user overrides the Pod's.
	obj := testing.changed([
		{"op": "add", "path": "/spec/securityContext/runAsUser", "value": 0},
		{"op": "add", "path": "/spec/containers/0/securityContext/runAsUser", "value": 1000},
	])
	count(violations(obj)) == 0
	messages(add("/spec/containers/0/securityContext/runAsUser", 0), "restricted") == {"container app: spec.containers[0].securityContext.runAsUser is 0; containers must not run as root"}
}

test_non_root_needs_a_user_or_run_as_non_root if {
	no_flag := remove("/spec/securityContext/runAsNonRoot")
	messages(no_flag, "restricted") == {"container app: spec.containers[0].securityContext.runAsNonRoot must be true, or runAsUser non-zero (the image may run as root)"}
	# A non-zero user is enough, as with PodSecurityPolicy's MustRunAsNonRoot.
	with_user := testing.changed([
		{"op": "remove", "path": "/spec/securityContext/runAsNonRoot"},
		{"op": "add", "path": "/spec/containers/0/securityContext/runAsUser", "value": 405},
	])
	count(violations(with_user)) == 0
	# A container's false overrides the Pod's true.
	count(messages(add("/spec/containers/0/securityContext/runAsNonRoot", false), "restricted")) == 1
}

test_user_ranges if {
	obj := add("/spec/securityContext/runAsUser", 70000)
	vs := pod_security.violation with input as testing.review("apps", obj)
		with data.config.pod_security.user_ranges as [{"min": 1000, "max": 65535}]
	{v.msg | some v in vs} == {"container app: spec.securityContext.runAsUser 70000 is outside the allowed users (1000-65535)"}
	count(violations(obj)) == 0
}

test_seccomp_required if {
	messages(remove("/spec/securityContext/seccompProfile"), "restricted") == {"container app: spec.containers[0].securityContext.seccompProfile.type must be RuntimeDefault or Localhost (it is not set)"}
	# Set on the container instead of the Pod.
	count(violations(testing.changed([
		{"op": "remove", "path": "/spec/securityContext/seccompProfile"},
		{"op": "add", "path": "/spec/containers/0/securityContext/seccompProfile", "value": {"type": "Localhost", "localhostProfile": "p.json"}},
	]))) == 0
}

test_seccomp_annotations_count if {
	every value in ["runtime/default", "docker/default", "localhost/profiles/audit.json"] {
		count(violations(testing.changed([
			{"op": "remove", "path": "/spec/securityContext/seccompProfile"},
			{"op": "add", "path": "/metadata/annotations", "value": {"seccomp.security.alpha.kubernetes.io/pod": value}},
		]))) == 0
	}
	messages(testing.changed([
		{"op": "remove", "path": "/spec/securityContext/seccompProfile"},
		{"op": "add", "path": "/metadata/annotations", "value": {"seccomp.security.alpha.kubernetes.io/pod": "custom"}},
	]), "restricted") == {"container app: metadata.annotations[seccomp.security.alpha.kubernetes.io/pod] must be RuntimeDefault or Localhost (it is custom)"}
}

test_drop_all if {
	messages(add("/spec/containers/0/securityContext/capabilities/drop", ["NET_RAW"]), "restricted") == {"container app: spec.containers[0].securityContext.capabilities.drop must include ALL"}
	count(violations(add("/spec/containers/0/securityContext/capabilities/drop", ["all"]))) == 0
}

test_restricted_capabilities if {
	obj := add("/spec/containers/0/securityContext/capabilities/add", ["NET_BIND_SERVICE", "CHOWN"])
	messages(obj, "restricted") == {"container app: spec.containers[0].securityContext.capabilities.add[1] CHOWN is not allowed (restricted allows: NET_BIND_SERVICE)"}
	count(messages(obj, "baseline")) == 0
}

test_groups if {
	obj := testing.changed([
		{"op": "add", "path": "/spec/securityContext/runAsGroup", "value": 0},
		{"op": "add", "path": "/spec/securityContext/fsGroup", "value": 0},
		{"op": "add", "path": "/spec/securityContext/supplementalGroups", "value": [666, 0]},
	])
	messages(obj, "restricted") == {
		"container app: spec.securityContext.runAsGroup 0 is outside the allowed groups (1-65535)",
		"pod: spec.securityContext.fsGroup 0 is outside the allowed groups (1-65535)",
		"pod: spec.securityContext.supplementalGroups[1] 0 is outside the allowed groups (1-65535)",
	}
	ok := testing.changed([
		{"op": "add", "path": "/spec/securityContext/fsGroup", "value": 555},
		{"op": "add", "path": "/spec/securityContext/supplementalGroups", "value": [666, 777]},
		{"op": "add", "path": "/spec/containers/0/securityContext/runAsGroup", "value": 3000},
	])
	count(violations(ok)) == 0
}
