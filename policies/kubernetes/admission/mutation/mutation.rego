# Hardening defaults for new Pods, as JSON Patch operations (served by POST /v1/mutate): where a
# setting is absent, runAsNonRoot: true and seccompProfile RuntimeDefault for the Pod, and
# allowPrivilegeEscalation: false and capabilities.drop [ALL] for each container. A missing parent
# object is added whole, with its children, so every operation applies to the Pod as submitted and
# the operations are independent of each other's order.
# Not in exempt namespaces, nor where the namespace's profile is privileged.
# Knobs (data.config.mutation): enabled.
package kubernetes.admission.mutation

import data.kubernetes.admission.pod_security
import data.lib.kubernetes as k8s

applies if {
	k8s.settings("mutation", {"enabled": true}).enabled == true
	input.request.operation == "CREATE"
	k8s.kind == "Pod"
	k8s.checked
	pod_security.enforce != "privileged"
}

# Pod level.
pod_defaults.runAsNonRoot := true if {
	not k8s.has_key(k8s.pod_security_context, "runAsNonRoot")
	not runs_as_root
}

pod_defaults.seccompProfile := {"type": "RuntimeDefault"} if {
	not k8s.windows
	not k8s.pod_security_context.seccompProfile
	# The API server rejects a field that disagrees with the legacy annotation.
	not k8s.pod_annotations["seccomp.security.alpha.kubernetes.io/pod"]
}

# A container asking for root keeps it (runAsNonRoot would stop it from starting); the profile
# decides whether it is admitted.
runs_as_root if {
	some c in k8s.containers
	k8s.setting(c, "runAsUser").value == 0
}

patch contains {"op": "add", "path": sprintf("%s/securityContext", [k8s.spec_pointer]), "value": pod_defaults} if {
	applies
	not k8s.pod_spec.securityContext
	count(pod_defaults) > 0
}

patch contains {"op": "add", "path": sprintf("%s/securityContext/%s", [k8s.spec_pointer, field]), "value": value} if {
	applies
	k8s.pod_spec.securityContext
	some field, value in pod_defaults
}

# Container level: privileged containers are left alone (the profile denies them), and Windows
# containers have neither capabilities nor privilege escalation.
hardened contains c if {
	applies
	not k8s.windows
	some c in k8s.containers
	not c.security_context.privileged == true
}

container_defaults(c) := object.union(escalation_default(c), {"capabilities": {"drop": ["ALL"]}})

# The API server rejects allowPrivilegeEscalation: false beside an added SYS_ADMIN.
escalation_default(c) := {} if {
	"SYS_ADMIN" in pod_security.capability_set(c.security_context.capabilities.add)
} else := {"allowPrivilegeEscalation": false}

patch contains {"op": "add", "path": sprintf("%s/securityContext", [c.pointer]), "value": container_defaults(c)} if {
	some c in hardened
	not c.container.securityContext
}

patch contains {"op": "add", "path": sprintf("%s/securityContext/allowPrivilegeEscalation", [c.pointer]), "value": false} if {
	some c in hardened
	c.container.securityContext
	not k8s.has_key(c.security_context, "allowPrivilegeEscalation")
	escalation_default(c).allowPrivilegeEscalation == false
}

patch contains {"op": "add", "path": sprintf("%s/securityContext/capabilities", [c.pointer]), "value": {"drop": ["ALL"]}} if {
	some c in hardened
	c.container.securityContext
	not c.security_context.capabilities
}

patch contains {"op": "add", "path": sprintf("%s/securityContext/capabilities/drop", [c.pointer]), "value": ["ALL"]} if {
	some c in hardened
	c.security_context.capabilities
	not c.security_context.capabilities.drop
}

patch contains {"op": "add", "path": sprintf("%s/securityContext/capabilities/drop/-", [c.pointer]), "value": "ALL"} if {
	some c in hardened
	drop := c.security_context.capabilities.drop
	not "ALL" in pod_security.capability_set(drop)
}
