package kubernetes.admission.pod_security_test

import data.kubernetes.admission.pod_security
import data.lib.testing

# The violations of a Pod (or workload), with their profile level, whatever the namespace enforces.
violations(obj) := vs if {
	vs := pod_security.violation with input as testing.review("apps", obj)
}

# The messages of one level.
messages(obj, level) := {v.msg | some v in violations(obj); v.level == level}

add(path, value) := testing.changed([{"op": "add", "path": path, "value": value}])

test_restricted_pod_has_no_violations if {
	count(violations(testing.restricted_pod)) == 0
}

test_host_namespaces if {
	every field in ["hostNetwork", "hostPID", "hostIPC"] {
		messages(add(sprintf("/spec/%s", [field]), true), "baseline") == {sprintf("pod: spec.%s is true; sharing the node's namespaces is not allowed", [field])}
	}
	count(violations(add("/spec/hostNetwork", false))) == 0
}

test_privileged_container if {
	messages(add("/spec/containers/0/securityContext/privileged", true), "baseline") == {"container app: spec.containers[0].securityContext.privileged is true; privileged containers are not allowed"}
	count(violations(add("/spec/containers/0/securityContext/privileged", false))) == 0
}

test_privileged_init_and_ephemeral_containers if {
	bad := {"name": "setup", "image": "registry.example.com/setup:1", "securityContext": {"privileged": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}
	messages(add("/spec/initContainers", [bad]), "baseline") == {"container setup: spec.initContainers[0].securityContext.privileged is true; privileged containers are not allowed"}
	messages(add("/spec/ephemeralContainers", [bad]), "baseline") == {"container setup: spec.ephemeralContainers[0].securityContext.privileged is true; privileged containers are not allowed"}
}

test_host_process if {
	messages(add("/spec/securityContext/windowsOptions", {"hostProcess": true}), "baseline") == {"pod: spec.securityContext.windowsOptions.hostProcess is true; host processes are not allowed"}
	messages(add("/spec/containers/0/securityContext/windowsOptions", {"hostProcess": true}), "baseline") == {"container app: spec.containers[0].securityContext.windowsOptions.hostProcess is true; host processes are not allowed"}
}

test_added_capabilities if {
	msgs := messages(add("/spec/containers/0/securityContext/capabilities/add", ["SYS_TIME", "CHOWN", "CAP_NET_ADMIN"]), "baseline")
	count(msgs) == 2
	some msg in msgs
	startswith(msg, "container app: spec.containers[0].securityContext.capabilities.add[0] SYS_TIME is not allowed (baseline allows: AUDIT_WRITE, CHOWN,")
	some other in msgs
	startswith(other, "container app: spec.containers[0].securityContext.capabilities.add[2] CAP_NET_ADMIN is not allowed")
}

test_allowed_capabilities_from_data if {
	obj := add("/spec/containers/0/securityContext/capabilities/add", ["SYS_TIME"])
	vs := pod_security.violation with input as testing.review("apps", obj)
		with data.config.pod_security.baseline_capabilities as ["SYS_TIME"]
	count({v | some v in vs; v.level == "baseline"}) == 0
}

test_host_ports if {
	obj := add("/spec/containers/0/ports", [{"containerPort": 8080, "hostPort": 9000}, {"containerPort": 8081, "hostPort": 0}, {"containerPort": 8082}])
	messages(obj, "baseline") == {"container app: spec.containers[0].ports[0].hostPort 9000 is not allowed (allowed host ports: none)"}
	vs := pod_security.violation with input as testing.review("apps", obj)
		with data.config.pod_security.host_port_ranges as [{"min": 9000, "max": 9100}]
	count(vs) == 0
	vs2 := pod_security.violation with input as testing.review("apps", obj)
		with data.config.pod_security.host_port_ranges as [{"min": 80, "max": 443}, {"min": 9001, "max": 9100}]
	{v.msg | some v in vs2} == {"container app: spec.containers[0].ports[0].hostPort 9000 is not allowed (allowed host ports: 80-443, 9001-9100)"}
}

host_path_pod(read_only) := testing.changed([
	{"op": "add", "path": "/spec/volumes", "value": [{"name": "logs", "hostPath": {"path": "/var/log/app"}}]},
	{"op": "add", "path": "/spec/containers/0/volumeMounts", "value": [{"name": "logs", "mountPath": "/logs", "readOnly": read_only}]},
])

test_host_path_denied if {
	messages(host_path_pod(true), "baseline") == {"pod: spec.volumes[0] (logs) mounts the node's path /var/log/app; hostPath volumes are not allowed (allowed: none)"}
}

test_host_path_allowed_by_prefix if {
	vs := pod_security.violation with input as testing.review("apps", host_path_pod(false))
		with data.config.pod_security.allowed_host_paths as [{"path_prefix": "/var/log"}]
	count({v | some v in vs; v.level == "baseline"}) == 0
}

test_host_path_prefix_is_whole_segments if {
	vs := pod_security.violation with input as testing.review("apps", host_path_pod(true))
		with data.config.pod_security.allowed_host_paths as [{"path_prefix": "/var/lo"}]
	count({v | some v in vs; v.level == "baseline"}) == 1
}

test_host_path_read_only if {
	allowed := [{"path_prefix": "/var/log/", "read_only": true}]
	vs := pod_security.violation with input as testing.review("apps", host_path_pod(true))
		with data.config.pod_security.allowed_host_paths as allowed
	count({v | some v in vs; v.level == "baseline"}) == 0
	vs2 := pod_security.violation with input as testing.review("apps", host_path_pod(false))
		with data.config.pod_security.allowed_host_paths as allowed
	count({v | some v in vs2; v.level == "baseline"}) == 1
}

test_apparmor_annotation if {
	key := "container.apparmor.security.beta.kubernetes.io/app"
	messages(add("/metadata/annotations", {key: "unconfined"}), "baseline") == {"container app: metadata.annotations[container.apparmor.security.beta.kubernetes.io/app] is unconfined; AppArmor must not be disabled"}
	count(violations(add("/metadata/annotations", {key: "runtime/default"}))) == 0
	count(violations(add("/metadata/annotations", {key: "localhost/k8s-apparmor"}))) == 0
}

test_apparmor_fields if {
	messages(add("/spec/securityContext/appArmorProfile", {"type": "Unconfined"}), "baseline") == {"pod: spec.securityContext.appArmorProfile.type is Unconfined; AppArmor must not be disabled"}
	messages(add("/spec/containers/0/securityContext/appArmorProfile", {"type": "Unconfined"}), "baseline") == {"container app: spec.containers[0].securityContext.appArmorProfile.type is Unconfined; AppArmor must not be disabled"}
	count(violations(add("/spec/securityContext/appArmorProfile", {"type": "RuntimeDefault"}))) == 0
}

test_selinux if {
	messages(add("/spec/securityContext/seLinuxOptions", {"type": "spc_t"}), "baseline") == {"pod: spec.securityContext.seLinuxOptions.type spc_t is not allowed (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)"}
	messages(add("/spec/containers/0/securityContext/seLinuxOptions", {"user": "system_u", "role": "", "type": "container_t"}), "baseline") == {"container app: spec.containers[0].securityContext.seLinuxOptions.user system_u must not be set"}
	count(violations(add("/spec/securityContext/seLinuxOptions", {"level": "s0:c123,c456", "type": ""}))) == 0
}

test_proc_mount if {
	messages(add("/spec/containers/0/securityContext/procMount", "Unmasked"), "baseline") == {"container app: spec.containers[0].securityContext.procMount Unmasked is not allowed (only Default)"}
	count(violations(add("/spec/containers/0/securityContext/procMount", "Default"))) == 0
}

test_seccomp_unconfined if {
	messages(add("/spec/securityContext/seccompProfile/type", "Unconfined"), "baseline") == {"container app: spec.securityContext.seccompProfile.type is Unconfined; seccomp must not be disabled"}
	messages(add("/spec/containers/0/securityContext/seccompProfile", {"type": "Unconfined"}), "baseline") == {"container app: spec.containers[0].securityContext.seccompProfile.type is Unconfined; seccomp must not be disabled"}
}

test_seccomp_legacy_annotations if {
	# The container's annotation overrides the Pod's field.
	obj := add("/metadata/annotations", {"container.seccomp.security.alpha.kubernetes.io/app": "unconfined"})
	messages(obj, "baseline") == {"container app: metadata.annotations[container.seccomp.security.alpha.kubernetes.io/app] is Unconfined; seccomp must not be disabled"}
}

test_sysctls if {
	obj := add("/spec/securityContext/sysctls", [{"name": "net.ipv4.tcp_syncookies", "value": "1"}, {"name": "kernel.msgmax", "value": "65536"}])
	msgs := messages(obj, "baseline")
	count(msgs) == 1
	some msg in msgs
	startswith(msg, "pod: spec.securityContext.sysctls[1] kernel.msgmax is not allowed (allowed: kernel.shm_rmid_forced,")
}

test_read_only_root_filesystem_is_opt_in if {
	count(violations(testing.restricted_pod)) == 0
	vs := pod_security.violation with input as testing.review("apps", testing.restricted_pod)
		with data.config.pod_security.read_only_root_filesystem as true
	{v.msg | some v in vs} == {"container app: spec.containers[0].securityContext.readOnlyRootFilesystem must be true"}
	obj := add("/spec/containers/0/securityContext/readOnlyRootFilesystem", true)
	vs2 := pod_security.violation with input as testing.review("apps", obj)
		with data.config.pod_security.read_only_root_filesystem as true
	count(vs2) == 0
}
