package kubernetes.admission.pod_security_test

import data.kubernetes.admission.pod_security
import data.lib.testing

privileged_pod := add("/spec/containers/0/securityContext/privileged", true)

# A Pod that passes baseline but not restricted.
baseline_pod := remove("/spec/containers/0/securityContext")

deny_in(labels, obj) := d if {
	d := pod_security.deny with input as testing.review("apps", obj)
		with data.kubernetes.namespaces as testing.namespace("apps", labels)
}

warn_in(labels, obj) := w if {
	w := pod_security.warn with input as testing.review("apps", obj)
		with data.kubernetes.namespaces as testing.namespace("apps", labels)
}

enforce(profile) := {"pod-security.kubernetes.io/enforce": profile}

test_default_profile_is_baseline if {
	deny_in({}, privileged_pod) == {"container app: spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]"}
	count(deny_in({}, baseline_pod)) == 0
}

test_default_profile_from_data if {
	d := pod_security.deny with input as testing.review("apps", baseline_pod)
		with data.config.pod_security.default_profile as "restricted"
	count(d) == 2
}

test_restricted_label if {
	deny_in(enforce("restricted"), baseline_pod) == {
		"container app: spec.containers[0].securityContext.allowPrivilegeEscalation must be false (it is not set) [profile restricted]",
		"container app: spec.containers[0].securityContext.capabilities.drop must include ALL [profile restricted]",
	}
	count(deny_in(enforce("restricted"), privileged_pod)) == 1
}

test_privileged_label_allows_everything if {
	count(deny_in(enforce("privileged"), privileged_pod)) == 0
}

test_unknown_level_counts_as_restricted if {
	count(deny_in(enforce("strict"), baseline_pod)) == 2
}

test_warn_label if {
	labels := {"pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted"}
	count(deny_in(labels, baseline_pod)) == 0
	warn_in(labels, baseline_pod) == {
		"container app: spec.containers[0].securityContext.allowPrivilegeEscalation must be false (it is not set) [would violate profile restricted]",
		"container app: spec.containers[0].securityContext.capabilities.drop must include ALL [would violate profile restricted]",
	}
	# What enforce already denies is not repeated as a warning.
	count(warn_in(labels, privileged_pod)) == 0
	w := pod_security.warn with input as testing.review("apps", baseline_pod)
		with data.config.pod_security.default_warn_profile as "privileged"
	count(w) == 0
}

test_exempt_namespace if {
	d := pod_security.deny with input as testing.review("kube-system", privileged_pod)
	count(d) == 0
	d2 := pod_security.deny with input as testing.review("infra", privileged_pod)
		with data.config.exempt_namespaces as ["infra"]
	count(d2) == 0
}

test_exempt_users_and_runtime_classes if {
	inp := json.patch(testing.review("apps", privileged_pod), [{"op": "add", "path": "/request/userInfo", "value": {"username": "system:serviceaccount:kube-system:daemon-set-controller"}}])
	d := pod_security.deny with input as inp
		with data.config.pod_security.exempt_users as ["system:serviceaccount:kube-system:daemon-set-controller"]
	count(d) == 0
	obj := json.patch(privileged_pod, [{"op": "add", "path": "/spec/runtimeClassName", "value": "kata"}])
	d2 := pod_security.deny with input as testing.review("apps", obj)
		with data.config.pod_security.exempt_runtime_classes as ["kata"]
	count(d2) == 0
}

test_workload_templates if {
	deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": privileged_pod}}
	deny_in({}, deployment) == {"container app: spec.template.spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]"}
	cronjob := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"}, "spec": {"jobTemplate": {"spec": {"template": privileged_pod}}}}
	deny_in({}, cronjob) == {"container app: spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged is true; privileged containers are not allowed [profile baseline]"}
	every kind in ["StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(deny_in({}, {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": privileged_pod}})) == 1
	}
}

test_template_annotations if {
	obj := add("/metadata/annotations", {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"})
	deployment := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": obj}}
	deny_in({}, deployment) == {"container app: spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/app] is unconfined; AppArmor must not be disabled [profile baseline]"}
}

test_only_creates_and_updates if {
	inp := json.patch(testing.review("apps", privileged_pod), [{"op": "replace", "path": "/request/operation", "value": "DELETE"}])
	count(pod_security.deny) == 0 with input as inp
	status := json.patch(testing.review("apps", privileged_pod), [
		{"op": "replace", "path": "/request/operation", "value": "UPDATE"},
		{"op": "add", "path": "/request/subResource", "value": "status"},
	])
	count(pod_security.deny) == 0 with input as status
}

test_other_kinds_ignored if {
	count(deny_in({}, {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"spec": "x"}})) == 0
}

test_namespace_from_object_for_audits if {
	inp := {"request": {"operation": "CREATE", "kind": {"kind": "Pod"}, "object": json.patch(baseline_pod, [{"op": "add", "path": "/metadata/namespace", "value": "apps"}])}}
	d := pod_security.deny with input as inp
		with data.kubernetes.namespaces as testing.namespace("apps", enforce("restricted"))
	count(d) == 2
}

test_updates_that_keep_the_spec_pass if {
	update := {
		"request": {
			"operation": "UPDATE",
			"namespace": "apps",
			"kind": {"kind": "Pod"},
			"object": json.patch(privileged_pod, [{"op": "add", "path": "/metadata/labels", "value": {"new": "label"}}]),
			"oldObject": privileged_pod,
		},
	}
	count(pod_security.deny) == 0 with input as update
	changed_spec := json.patch(update, [{"op": "replace", "path": "/request/oldObject/spec/containers/0/securityContext/privileged", "value": false}])
	count(pod_security.deny) == 1 with input as changed_spec
}
