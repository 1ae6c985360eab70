# Sandboxed runtimes for untrusted workloads: Pods in a namespace marked untrusted must name a
# RuntimeClass that exists (replicated RuntimeClasses, data.kubernetes.runtimeclasses) and whose
# handler is a sandbox such as gVisor's runsc or Kata Containers.
# Knobs (data.config.runtime): untrusted_namespaces, untrusted_label (a Namespace label whose value
# "true" marks it), sandbox_handlers, allowed_runtime_classes (names accepted whatever their handler).
package kubernetes.admission.runtime

import data.lib.kubernetes as k8s

defaults := {
	"untrusted_namespaces": [],
	"untrusted_label": "regent.dev/untrusted",
	"sandbox_handlers": ["runsc", "kata", "kata-qemu", "kata-fc", "kata-clh"],
	"allowed_runtime_classes": [],
}

config := k8s.settings("runtime", defaults)

untrusted if k8s.namespace in config.untrusted_namespaces

untrusted if k8s.namespace_labels[config.untrusted_label] == "true"

checked if {
	k8s.pod_checked
	untrusted
}

deny contains msg if {
	checked
	not k8s.pod_spec.runtimeClassName
	msg := sprintf("pod: %s.runtimeClassName is not set; namespace %s is untrusted and needs a sandboxed runtime class (handlers: %s)", [k8s.spec_path, k8s.namespace, concat(", ", config.sandbox_handlers)])
}

deny contains msg if {
	checked
	name := k8s.pod_spec.runtimeClassName
	not data.kubernetes.runtimeclasses[name]
	msg := sprintf("pod: %s.runtimeClassName %s does not exist (no RuntimeClass of that name in data.kubernetes.runtimeclasses)", [k8s.spec_path, name])
}

deny contains msg if {
	checked
	name := k8s.pod_spec.runtimeClassName
	class := data.kubernetes.runtimeclasses[name]
	not name in config.allowed_runtime_classes
	not class.handler in config.sandbox_handlers
	msg := sprintf("pod: %s.runtimeClassName %s runs with handler %s, which is not a sandbox (handlers: %s)", [k8s.spec_path, name, class.handler, concat(", ", config.sandbox_handlers)])
}
