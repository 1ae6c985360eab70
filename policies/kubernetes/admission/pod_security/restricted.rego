# Restricted: current Pod hardening best practice, on top of baseline. Windows Pods are exempt from
# the Linux-only settings (privilege escalation, seccomp, capabilities), as in Kubernetes.
package kubernetes.admission.pod_security

import data.lib.kubernetes as k8s

violation contains {"level": "restricted", "msg": msg} if {
	some i, volume in k8s.pod_spec.volumes
	some type, _ in volume
	type != "name"
	not type in config.restricted_volume_types
	not baseline_denies_host_path(volume, type)
	msg := sprintf("pod: %s.volumes[%d] (%s) has type %s, which is not allowed (allowed: %s)", [k8s.spec_path, i, volume.name, type, k8s.listing(config.restricted_volume_types)])
}

baseline_denies_host_path(volume, "hostPath") if not host_path_allowed(volume)

violation contains {"level": "restricted", "msg": msg} if {
	not k8s.windows
	some c in k8s.containers
	not c.security_context.allowPrivilegeEscalation == false
	msg := sprintf("container %s: %s.securityContext.allowPrivilegeEscalation must be false (it is %s)", [c.name, c.path, shown(c.security_context, "allowPrivilegeEscalation")])
}

# Root: as PodSecurityPolicy's MustRunAsNonRoot, a container runs as non-root when its user
# (container's or Pod's runAsUser) is not 0, or, with no user given, when runAsNonRoot is true.
violation contains {"level": "restricted", "msg": msg} if {
	some c in k8s.containers
	user := k8s.setting(c, "runAsUser")
	user.value == 0
	msg := sprintf("container %s: %s is 0; containers must not run as root", [c.name, user.path])
}

violation contains {"level": "restricted", "msg": msg} if {
	some c in k8s.containers
	not k8s.setting(c, "runAsUser")
	not k8s.setting(c, "runAsNonRoot").value == true
	msg := sprintf("container %s: %s.securityContext.runAsNonRoot must be true, or runAsUser non-zero (the image may run as root)", [c.name, c.path])
}

violation contains {"level": "restricted", "msg": msg} if {
	count(config.user_ranges) > 0
	some c in k8s.containers
	user := k8s.setting(c, "runAsUser")
	user.value != 0
	not in_ranges(user.value, config.user_ranges)
	msg := sprintf("container %s: %s %d is outside the allowed users (%s)", [c.name, user.path, user.value, ranges_text(config.user_ranges)])
}

violation contains {"level": "restricted", "msg": msg} if {
	not k8s.windows
	some c in k8s.containers
	profile := seccomp_or_unset(c)
	# Unconfined is already a baseline violation.
	not profile.type in {"RuntimeDefault", "Localhost", "Unconfined"}
	msg := sprintf("container %s: %s must be RuntimeDefault or Localhost (it is %s)", [c.name, profile.path, profile.type])
}

seccomp_or_unset(c) := seccomp(c)

seccomp_or_unset(c) := {"type": "not set", "path": sprintf("%s.securityContext.seccompProfile.type", [c.path])} if not seccomp(c)

violation contains {"level": "restricted", "msg": msg} if {
	not k8s.windows
	some c in k8s.containers
	not "ALL" in capability_set(c.security_context.capabilities.drop)
	msg := sprintf("container %s: %s.securityContext.capabilities.drop must include ALL", [c.name, c.path])
}

# Capabilities baseline allows but restricted does not (the others are reported by baseline).
violation contains {"level": "restricted", "msg": msg} if {
	not k8s.windows
	some c in k8s.containers
	some i, cap in c.security_context.capabilities.add
	capability(cap) in config.baseline_capabilities
	not capability(cap) in config.restricted_capabilities
	msg := sprintf("container %s: %s.securityContext.capabilities.add[%d] %s is not allowed (restricted allows: %s)", [c.name, c.path, i, cap, k8s.listing(config.restricted_capabilities)])
}

# Groups (PodSecurityPolicy's MustRunAs ranges): by default any group but root (0).
violation contains {"level": "restricted", "msg": msg} if {
	some c in k8s.containers
	group := k8s.setting(c, "runAsGroup")
	not in_ranges(group.value, config.group_ranges)
	msg := sprintf("container %s: %s %d is outside the allowed groups (%s)", [c.name, group.path, group.value, ranges_text(config.group_ranges)])
}

violation contains {"level": "restricted", "msg": msg} if {
	group := k8s.pod_security_context.fsGroup
	not in_ranges(group, config.group_ranges)
	msg := sprintf("pod: %s.securityContext.fsGroup %d is outside the allowed groups (%s)", [k8s.spec_path, group, ranges_text(config.group_ranges)])
}

violation contains {"level": "restricted", "msg": msg} if {
	some i, group in k8s.pod_security_context.supplementalGroups
	not in_ranges(group, config.group_ranges)
	msg := sprintf("pod: %s.securityContext.supplementalGroups[%d] %d is outside the allowed groups (%s)", [k8s.spec_path, i, group, ranges_text(config.group_ranges)])
}

shown(o, field) := sprintf("%v", [o[field]])

shown(o, field) := "not set" if not k8s.has_key(o, field)
