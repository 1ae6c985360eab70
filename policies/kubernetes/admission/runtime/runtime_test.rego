package kubernetes.admission.runtime_test

import data.kubernetes.admission.runtime
import data.lib.testing

classes := {
	"gvisor": {"kind": "RuntimeClass", "metadata": {"name": "gvisor"}, "handler": "runsc"},
	"plain": {"kind": "RuntimeClass", "metadata": {"name": "plain"}, "handler": "runc"},
}

with_class(name) := testing.changed([{"op": "add", "path": "/spec/runtimeClassName", "value": name}])

untrusted := testing.namespace("apps", {"regent.dev/untrusted": "true"})

deny_in(namespaces, obj) := d if {
	d := runtime.deny with input as testing.review("apps", obj)
		with data.kubernetes.namespaces as namespaces
		with data.kubernetes.runtimeclasses as classes
}

test_sandboxed_class_allowed if {
	count(deny_in(untrusted, with_class("gvisor"))) == 0
}

test_missing_class if {
	deny_in(untrusted, testing.restricted_pod) == {"pod: spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}
}

test_unknown_class if {
	deny_in(untrusted, with_class("kata")) == {"pod: spec.runtimeClassName kata does not exist (no RuntimeClass of that name in data.kubernetes.runtimeclasses)"}
}

test_class_without_sandbox if {
	deny_in(untrusted, with_class("plain")) == {"pod: spec.runtimeClassName plain runs with handler runc, which is not a sandbox (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}
	d := runtime.deny with input as testing.review("apps", with_class("plain"))
		with data.kubernetes.namespaces as untrusted
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime.allowed_runtime_classes as ["plain"]
	count(d) == 0
}

test_untrusted_by_list if {
	d := runtime.deny with input as testing.review("apps", testing.restricted_pod)
		with data.config.runtime.untrusted_namespaces as ["apps"]
	count(d) == 1
}

test_untrusted_label_from_data if {
	ns := testing.namespace("apps", {"example.com/tenant": "true"})
	d := runtime.deny with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.namespaces as ns
		with data.config.runtime.untrusted_label as "example.com/tenant"
	count(d) == 1
}

test_trusted_namespaces_unaffected if {
	count(deny_in(testing.namespace("apps", {"regent.dev/untrusted": "false"}), testing.restricted_pod)) == 0
	count(deny_in({}, with_class("plain"))) == 0
}

test_workloads_checked if {
	deployment := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": testing.restricted_pod}}
	deny_in(untrusted, deployment) == {"pod: spec.template.spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}
}
