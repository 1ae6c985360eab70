package kubernetes.admission.runtime_test

import data.kubernetes.admission.runtime
import data.lib.testing

# Replicated RuntimeClasses (cluster-scoped: data.kubernetes.runtimeclasses[name]).
runtime_class(name, handler) := {name: {"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass", "metadata": {"name": name}, "handler": handler}}

classes := object.union_n([
	runtime_class("gvisor", "runsc"),
	runtime_class("kata", "kata-qemu"),
	runtime_class("plain", "runc"),
	runtime_class("crun", "crun"),
])

default_handlers := "runsc, kata, kata-qemu, kata-fc, kata-clh"

with_class(name) := testing.changed([{"op": "add", "path": "/spec/runtimeClassName", "value": name}])

# Namespace apps, untrusted by the default label.
untrusted := testing.namespace("apps", {"regent.dev/untrusted": "true"})

# The runtime messages for obj in namespace apps, with the given replicated Namespaces and the
# runtime knobs' defaults.
deny_in(namespaces, obj) := d if {
	d := runtime.deny with input as testing.review("apps", obj)
		with data.kubernetes.namespaces as namespaces
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {}
}

# The runtime messages for obj in namespace ns, untrusted by label, with the given knobs.
deny_with(ns, obj, config) := d if {
	d := runtime.deny with input as testing.review(ns, obj)
		with data.kubernetes.namespaces as testing.namespace(ns, {"regent.dev/untrusted": "true"})
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as config
}

update(ns, old, new) := json.patch(testing.review(ns, new), [
	{"op": "replace", "path": "/request/operation", "value": "UPDATE"},
	{"op": "add", "path": "/request/oldObject", "value": old},
])

test_sandboxed_classes_allowed if {
	count(deny_in(untrusted, with_class("gvisor"))) == 0
	count(deny_in(untrusted, with_class("kata"))) == 0
}

test_every_default_sandbox_handler if {
	every handler in ["runsc", "kata", "kata-qemu", "kata-fc", "kata-clh"] {
		d := runtime.deny with input as testing.review("apps", with_class("sandbox"))
			with data.kubernetes.namespaces as untrusted
			with data.kubernetes.runtimeclasses as runtime_class("sandbox", handler)
			with data.config.runtime as {}
		count(d) == 0
	}
}

test_missing_runtime_class_name if {
	deny_in(untrusted, testing.restricted_pod) == {"pod: spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}
}

test_nonexistent_class if {
	deny_in(untrusted, with_class("firecracker")) == {"pod: spec.runtimeClassName firecracker does not exist (no RuntimeClass of that name in data.kubernetes.runtimeclasses)"}

	# No RuntimeClass replicated at all.
	d := runtime.deny with input as testing.review("apps", with_class("gvisor"))
		with data.kubernetes.namespaces as untrusted
		with data.kubernetes.runtimeclasses as {}
		with data.config.runtime as {}
	d == {"pod: spec.runtimeClassName gvisor does not exist (no RuntimeClass of that name in data.kubernetes.runtimeclasses)"}
}

test_class_without_sandbox if {
	deny_in(untrusted, with_class("plain")) == {sprintf("pod: spec.runtimeClassName plain runs with handler runc, which is not a sandbox (handlers: %s)", [default_handlers])}
	deny_in(untrusted, with_class("crun")) == {sprintf("pod: spec.runtimeClassName crun runs with handler crun, which is not a sandbox (handlers: %s)", [default_handlers])}
}

test_allowed_runtime_classes if {
	count(deny_with("apps", with_class("plain"), {"allowed_runtime_classes": ["plain"]})) == 0
	count(deny_with("apps", with_class("crun"), {"allowed_runtime_classes": ["plain"]})) == 1

	# Allowed by name, but it must still exist.
	deny_with("apps", with_class("special"), {"allowed_runtime_classes": ["special"]}) == {"pod: spec.runtimeClassName special does not exist (no RuntimeClass of that name in data.kubernetes.runtimeclasses)"}
}

test_sandbox_handlers_from_data if {
	config := {"sandbox_handlers": ["runsc"]}
	count(deny_with("apps", with_class("gvisor"), config)) == 0
	deny_with("apps", with_class("kata"), config) == {"pod: spec.runtimeClassName kata runs with handler kata-qemu, which is not a sandbox (handlers: runsc)"}
	deny_with("apps", testing.restricted_pod, config) == {"pod: spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc)"}
}

test_untrusted_by_list if {
	d := runtime.deny with input as testing.review("tenants", testing.restricted_pod)
		with data.kubernetes.namespaces as {}
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {"untrusted_namespaces": ["tenants", "sandbox"]}
	d == {"pod: spec.runtimeClassName is not set; namespace tenants is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}

	listed_ok := runtime.deny with input as testing.review("tenants", with_class("gvisor"))
		with data.kubernetes.namespaces as {}
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {"untrusted_namespaces": ["tenants"]}
	count(listed_ok) == 0

	# Other namespaces stay trusted.
	other := runtime.deny with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.namespaces as {}
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {"untrusted_namespaces": ["tenants"]}
	count(other) == 0
}

test_untrusted_by_default_label if {
	count(deny_in(untrusted, testing.restricted_pod)) == 1
	count(deny_in(testing.namespace("apps", {"regent.dev/untrusted": "false"}), testing.restricted_pod)) == 0
	count(deny_in(testing.namespace("apps", {"regent.dev/untrusted": "yes"}), testing.restricted_pod)) == 0
	count(deny_in(testing.namespace("apps", {}), testing.restricted_pod)) == 0

	# The label of another namespace does not count.
	count(deny_in(testing.namespace("other", {"regent.dev/untrusted": "true"}), testing.restricted_pod)) == 0
}

test_untrusted_label_from_data if {
	tenant := testing.namespace("apps", {"example.com/tenant": "true"})
	d := runtime.deny with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.namespaces as tenant
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {"untrusted_label": "example.com/tenant"}
	count(d) == 1

	# With another label configured, the default one no longer marks a namespace.
	d2 := runtime.deny with input as testing.review("apps", testing.restricted_pod)
		with data.kubernetes.namespaces as untrusted
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {"untrusted_label": "example.com/tenant"}
	count(d2) == 0
}

test_trusted_namespaces_unaffected if {
	every obj in [testing.restricted_pod, with_class("plain"), with_class("firecracker"), with_class("gvisor")] {
		count(deny_in({}, obj)) == 0
	}
}

test_workload_templates if {
	deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": testing.restricted_pod}}
	deny_in(untrusted, deployment) == {"pod: spec.template.spec.runtimeClassName is not set; namespace apps is untrusted and needs a sandboxed runtime class (handlers: runsc, kata, kata-qemu, kata-fc, kata-clh)"}

	sandboxed := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": with_class("gvisor")}}
	count(deny_in(untrusted, sandboxed)) == 0

	cronjob := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": with_class("plain")}}}}
	deny_in(untrusted, cronjob) == {sprintf("pod: spec.jobTemplate.spec.template.spec.runtimeClassName plain runs with handler runc, which is not a sandbox (handlers: %s)", [default_handlers])}
}

test_other_kinds_ignored if {
	count(deny_in(untrusted, {"kind": "ConfigMap", "metadata": {"name": "c"}})) == 0
	count(deny_in(untrusted, {"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "ClusterIP"}})) == 0
}

test_exempt_namespaces if {
	kube_system := runtime.deny with input as testing.review("kube-system", testing.restricted_pod)
		with data.kubernetes.namespaces as {}
		with data.kubernetes.runtimeclasses as classes
		with data.config as {"runtime": {"untrusted_namespaces": ["kube-system"]}}
	count(kube_system) == 0

	legacy := runtime.deny with input as testing.review("legacy", testing.restricted_pod)
		with data.kubernetes.namespaces as {}
		with data.kubernetes.runtimeclasses as classes
		with data.config as {"runtime": {"untrusted_namespaces": ["legacy"]}, "exempt_namespaces": ["legacy"]}
	count(legacy) == 0
}

test_operations if {
	delete := json.patch(testing.review("apps", testing.restricted_pod), [{"op": "replace", "path": "/request/operation", "value": "DELETE"}])
	d := runtime.deny with input as delete
		with data.kubernetes.namespaces as untrusted
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {}
	count(d) == 0

	# An update that changes the spec is judged; one that keeps it is not.
	changed := runtime.deny with input as update("apps", with_class("gvisor"), with_class("plain"))
		with data.kubernetes.namespaces as untrusted
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {}
	count(changed) == 1
	relabelled := json.patch(testing.restricted_pod, [{"op": "add", "path": "/metadata/labels", "value": {"app": "x"}}])
	kept := runtime.deny with input as update("apps", testing.restricted_pod, relabelled)
		with data.kubernetes.namespaces as untrusted
		with data.kubernetes.runtimeclasses as classes
		with data.config.runtime as {}
	count(kept) == 0
}
