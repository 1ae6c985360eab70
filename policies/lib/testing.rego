# Builders for the library's tests: admission inputs, Pods and replicated Namespaces.
package lib.testing

# The input of a CREATE AdmissionReview for obj in namespace ns.
review(ns, obj) := {
	"request": {
		"uid": "test",
		"operation": "CREATE",
		"namespace": ns,
		"kind": {"group": "", "version": "v1", "kind": obj.kind},
		"object": obj,
	},
}

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "test"}, "spec": spec}

# A Pod that passes every rule of the restricted profile; tests change one thing at a time with
# json.patch (changed(ops)).
restricted_pod := pod({
	"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
	"containers": [
		{
			"name": "app",
			"image": "registry.example.com/app:1.0",
			"securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
		},
	],
})

changed(ops) := json.patch(restricted_pod, ops)

# Replicated Namespaces (data.kubernetes.namespaces) with the given labels.
namespace(name, labels) := {name: {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}}

# One namespace, "apps", enforcing the given profile.
profile_namespace(profile) := namespace("apps", {"pod-security.kubernetes.io/enforce": profile})
