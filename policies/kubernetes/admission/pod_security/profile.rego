# Pod security profiles: privileged, baseline and restricted, as the Pod Security Standards define
# them and with PodSecurityPolicy's extra knobs. The profile of a namespace is its label
# pod-security.kubernetes.io/enforce (replicated Namespaces), else data.config.pod_security's
# default_profile. The checks live in baseline.rego and restricted.rego; each adds a violation
# naming the lowest profile it belongs to, and the namespace's profile decides which deny.
package kubernetes.admission.pod_security

import data.lib.kubernetes as k8s

levels := {"privileged": 0, "baseline": 1, "restricted": 2}

# data.config.pod_security overrides any of these.
defaults := {
	"default_profile": "baseline",
	"default_warn_profile": "privileged",
	"exempt_users": [],
	"exempt_runtime_classes": [],
	"baseline_capabilities": [
		"AUDIT_WRITE",
		"CHOWN",
		"DAC_OVERRIDE",
		"FOWNER",
		"FSETID",
		"KILL",
		"MKNOD",
		"NET_BIND_SERVICE",
		"SETFCAP",
		"SETGID",
		"SETPCAP",
		"SETUID",
		"SYS_CHROOT",
	],
	"restricted_capabilities": ["NET_BIND_SERVICE"],
	"host_port_ranges": [],
	"allowed_host_paths": [],
	"allowed_sysctls": [
		"kernel.shm_rmid_forced",
		"net.ipv4.ip_local_port_range",
		"net.ipv4.ip_local_reserved_ports",
		"net.ipv4.ip_unprivileged_port_start",
		"net.ipv4.ping_group_range",
		"net.ipv4.tcp_syncookies",
		"net.ipv4.tcp_keepalive_time",
		"net.ipv4.tcp_fin_timeout",
		"net.ipv4.tcp_keepalive_intvl",
		"net.ipv4.tcp_keepalive_probes",
	],
	"selinux_types": ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"],
	"restricted_volume_types": [
		"configMap",
		"csi",
		"downwardAPI",
		"emptyDir",
		"ephemeral",
		"persistentVolumeClaim",
		"projected",
		"secret",
	],
	"user_ranges": [],
	"group_ranges": [{"min": 1, "max": 65535}],
	"read_only_root_filesystem": false,
}

config := k8s.settings("pod_security", defaults)

label(mode) := k8s.namespace_labels[sprintf("pod-security.kubernetes.io/%s", [mode])]

# An unknown level counts as restricted, as in Kubernetes' Pod Security admission.
level(value) := value if value in object.keys(levels)

level(value) := "restricted" if not value in object.keys(levels)

enforce := level(label("enforce"))

enforce := level(config.default_profile) if not label("enforce")

warn_level := level(label("warn"))

warn_level := level(config.default_warn_profile) if not label("warn")

exempt if input.request.userInfo.username in config.exempt_users

exempt if k8s.pod_spec.runtimeClassName in config.exempt_runtime_classes

applies if {
	k8s.pod_checked
	not exempt
}

deny contains sprintf("%s [profile %s]", [v.msg, enforce]) if {
	applies
	some v in violation
	levels[v.level] <= levels[enforce]
}

warn contains sprintf("%s [would violate profile %s]", [v.msg, warn_level]) if {
	applies
	some v in violation
	levels[v.level] > levels[enforce]
	levels[v.level] <= levels[warn_level]
}

# Capability names without the optional CAP_ prefix, in upper case.
capability(name) := trim_prefix(upper(name), "CAP_")

capability_set(names) := {capability(name) | some name in names}

in_ranges(n, ranges) if {
	some r in ranges
	n >= r.min
	n <= r.max
}

ranges_text(ranges) := concat(", ", [sprintf("%d-%d", [r.min, r.max]) | some r in ranges])

# The seccomp or AppArmor profile type of a legacy annotation value.
annotation_type(value) := "RuntimeDefault" if {
	value in {"runtime/default", "docker/default"}
} else := "Localhost" if {
	startswith(value, "localhost/")
} else := "Unconfined" if {
	value == "unconfined"
} else := value

annotation_path(key) := sprintf("%s.annotations[%s]", [k8s.metadata_path, key])

# A container's seccomp profile type as Kubernetes resolves it, with the field it comes from: the
# container's field, its legacy annotation, the Pod's field, the Pod's legacy annotation.
seccomp(c) := {"type": t, "path": sprintf("%s.securityContext.seccompProfile.type", [c.path])} if {
	t := c.security_context.seccompProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(key)} if {
	key := sprintf("container.seccomp.security.alpha.kubernetes.io/%s", [c.name])
	v := k8s.pod_annotations[key]
} else := {"type": t, "path": sprintf("%s.securityContext.seccompProfile.type", [k8s.spec_path])} if {
	t := k8s.pod_security_context.seccompProfile.type
} else := {"type": annotation_type(v), "path": annotation_path(key)} if {
	key := "seccomp.security.alpha.kubernetes.io/pod"
	v := k8s.pod_annotations[key]
}
