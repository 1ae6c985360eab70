# Baseline: no known privilege escalation. Each check names the container (or the Pod) and the field.
package kubernetes.admission.pod_security

import data.lib.kubernetes as k8s

violation contains {"level": "baseline", "msg": msg} if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	k8s.pod_spec[field] == true
	msg := sprintf("pod: %s.%s is true; sharing the node's namespaces is not allowed", [k8s.spec_path, field])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	c.security_context.privileged == true
	msg := sprintf("container %s: %s.securityContext.privileged is true; privileged containers are not allowed", [c.name, c.path])
}

violation contains {"level": "baseline", "msg": msg} if {
	k8s.pod_security_context.windowsOptions.hostProcess == true
	msg := sprintf("pod: %s.securityContext.windowsOptions.hostProcess is true; host processes are not allowed", [k8s.spec_path])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	c.security_context.windowsOptions.hostProcess == true
	msg := sprintf("container %s: %s.securityContext.windowsOptions.hostProcess is true; host processes are not allowed", [c.name, c.path])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	some i, cap in c.security_context.capabilities.add
	not capability(cap) in config.baseline_capabilities
	msg := sprintf("container %s: %s.securityContext.capabilities.add[%d] %s is not allowed (baseline allows: %s)", [c.name, c.path, i, cap, k8s.listing(config.baseline_capabilities)])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	some i, port in c.container.ports
	host_port := port.hostPort
	host_port != 0
	not in_ranges(host_port, config.host_port_ranges)
	msg := sprintf("container %s: %s.ports[%d].hostPort %d is not allowed (allowed host ports: %s)", [c.name, c.path, i, host_port, host_ports_text])
}

violation contains {"level": "baseline", "msg": msg} if {
	some i, volume in k8s.pod_spec.volumes
	volume.hostPath
	not host_path_allowed(volume)
	msg := sprintf("pod: %s.volumes[%d] (%s) mounts the node's path %s; hostPath volumes are not allowed (allowed: %s)", [k8s.spec_path, i, volume.name, volume.hostPath.path, k8s.listing([p.path_prefix | some p in config.allowed_host_paths])])
}

host_ports_text := "none" if count(config.host_port_ranges) == 0

host_ports_text := ranges_text(config.host_port_ranges) if count(config.host_port_ranges) > 0

# PodSecurityPolicy's allowedHostPaths: a path under an allowed prefix (whole path segments), and
# when the entry says read_only, every mount of the volume is read-only.
host_path_allowed(volume) if {
	some allowed in config.allowed_host_paths
	k8s.under(volume.hostPath.path, allowed.path_prefix)
	read_only_kept(allowed, volume.name)
}

read_only_kept(allowed, _) if not allowed.read_only == true

read_only_kept(allowed, name) if {
	allowed.read_only == true
	not writable_mount(name)
}

writable_mount(name) if {
	some c in k8s.containers
	some m in c.container.volumeMounts
	m.name == name
	not m.readOnly == true
}

violation contains {"level": "baseline", "msg": msg} if {
	some key, value in k8s.pod_annotations
	startswith(key, "container.apparmor.security.beta.kubernetes.io/")
	annotation_type(value) == "Unconfined"
	msg := sprintf("container %s: %s is unconfined; AppArmor must not be disabled", [trim_prefix(key, "container.apparmor.security.beta.kubernetes.io/"), annotation_path(key)])
}

violation contains {"level": "baseline", "msg": msg} if {
	k8s.pod_security_context.appArmorProfile.type == "Unconfined"
	msg := sprintf("pod: %s.securityContext.appArmorProfile.type is Unconfined; AppArmor must not be disabled", [k8s.spec_path])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	c.security_context.appArmorProfile.type == "Unconfined"
	msg := sprintf("container %s: %s.securityContext.appArmorProfile.type is Unconfined; AppArmor must not be disabled", [c.name, c.path])
}

# SELinux options, at the Pod's level and each container's: only the container types, no user or role.
selinux_options contains {"subject": "pod", "path": sprintf("%s.securityContext.seLinuxOptions", [k8s.spec_path]), "options": k8s.pod_security_context.seLinuxOptions}

selinux_options contains {"subject": sprintf("container %s", [c.name]), "path": sprintf("%s.securityContext.seLinuxOptions", [c.path]), "options": c.security_context.seLinuxOptions} if {
	some c in k8s.containers
}

violation contains {"level": "baseline", "msg": msg} if {
	some s in selinux_options
	type := s.options.type
	type != ""
	not type in config.selinux_types
	msg := sprintf("%s: %s.type %s is not allowed (allowed: %s)", [s.subject, s.path, type, k8s.listing(config.selinux_types)])
}

violation contains {"level": "baseline", "msg": msg} if {
	some s in selinux_options
	some field in ["user", "role"]
	value := s.options[field]
	value != ""
	msg := sprintf("%s: %s.%s %s must not be set", [s.subject, s.path, field, value])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	mount := c.security_context.procMount
	mount != "Default"
	msg := sprintf("container %s: %s.securityContext.procMount %s is not allowed (only Default)", [c.name, c.path, mount])
}

violation contains {"level": "baseline", "msg": msg} if {
	some c in k8s.containers
	profile := seccomp(c)
	profile.type == "Unconfined"
	msg := sprintf("container %s: %s is Unconfined; seccomp must not be disabled", [c.name, profile.path])
}

violation contains {"level": "baseline", "msg": msg} if {
	some i, sysctl in k8s.pod_security_context.sysctls
	not sysctl.name in config.allowed_sysctls
	msg := sprintf("pod: %s.securityContext.sysctls[%d] %s is not allowed (allowed: %s)", [k8s.spec_path, i, sysctl.name, k8s.listing(config.allowed_sysctls)])
}

# Opt-in (read_only_root_filesystem: true): containers may only write to volumes.
violation contains {"level": "baseline", "msg": msg} if {
	config.read_only_root_filesystem == true
	some c in k8s.containers
	not c.security_context.readOnlyRootFilesystem == true
	msg := sprintf("container %s: %s.securityContext.readOnlyRootFilesystem must be true", [c.name, c.path])
}
