# What an admission request is about, in the terms every rule of the library uses: the object, its
# namespace (and the replicated Namespace with its labels), the Pod it describes, directly or
# through a workload's template, and every container with the paths of its fields.
package lib.kubernetes

obj := input.request.object

kind := input.request.kind.kind

# The namespace of the request; the object's own for audits of replicated objects.
namespace := input.request.namespace

namespace := input.request.object.metadata.namespace if not input.request.namespace

# The replicated Namespace's labels (regent sync --replicate-cluster=v1/namespaces).
default namespace_labels := {}

namespace_labels := data.kubernetes.namespaces[namespace].metadata.labels

# Namespaces no rule applies to (data.config.exempt_namespaces, e.g. kube-system).
default exempt_namespaces := ["kube-system"]

exempt_namespaces := data.config.exempt_namespaces

exempt if namespace in exempt_namespaces

# Creations and updates of the object itself are checked; deletions and status writes are not.
checked if {
	input.request.operation in {"CREATE", "UPDATE"}
	not exempt
	not input.request.subResource == "status"
}

# The Pod rules judge a Pod (or template) when it is created or its spec changes; an update of
# labels or status alone is let through, as Kubernetes' Pod Security admission does, so old
# objects stay manageable.
pod_checked if {
	checked
	pod_spec
	not spec_unchanged
}

spec_unchanged if {
	input.request.operation == "UPDATE"
	object.get(input.request.oldObject, spec_segments, null) == pod_spec
}

# Workloads keep their Pod in a template; `pod_base` is that template's path.
workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod_base := [] if kind == "Pod"

pod_base := ["template"] if kind == "PodTemplate"

pod_base := ["spec", "template"] if kind in workload_kinds

pod_base := ["spec", "jobTemplate", "spec", "template"] if kind == "CronJob"

# The Pod (or template): its metadata and spec, and where the spec is, as a field path for messages
# (spec.template.spec) and a JSON pointer for patches (/spec/template/spec).
pod := object.get(obj, pod_base, null)

pod_spec := pod.spec

pod_annotations := object.get(pod, ["metadata", "annotations"], {})

spec_segments := array.concat(pod_base, ["spec"])

spec_path := concat(".", spec_segments)

metadata_path := concat(".", array.concat(pod_base, ["metadata"]))

spec_pointer := concat("", [sprintf("/%s", [s]) | some s in spec_segments])

pod_security_context := object.get(pod_spec, "securityContext", {})

windows if pod_spec.os.name == "windows"

container_fields := ["containers", "initContainers", "ephemeralContainers"]

# Every container, init and ephemeral ones included, with the path of its fields.
containers contains {
	"name": c.name,
	"path": sprintf("%s.%s[%d]", [spec_path, field, i]),
	"pointer": sprintf("%s/%s/%d", [spec_pointer, field, i]),
	"security_context": object.get(c, "securityContext", {}),
	"container": c,
} if {
	some field in container_fields
	some i, c in pod_spec[field]
}

# A security setting as Kubernetes resolves it: the container's value overrides the Pod's.
# The result names the field it came from.
setting(c, field) := {"value": v, "path": sprintf("%s.securityContext.%s", [c.path, field])} if {
	v := c.security_context[field]
}

setting(c, field) := {"value": v, "path": sprintf("%s.securityContext.%s", [spec_path, field])} if {
	not has_key(c.security_context, field)
	v := pod_security_context[field]
}

has_key(o, k) if _ = o[k]

# The library's knobs: data.config[name] over the rule's defaults, key by key.
settings(name, defaults) := object.union(defaults, data.config[name])

settings(name, defaults) := defaults if not data.config[name]

# A slash-separated name is under a prefix on whole segments: gcr.io/company covers
# gcr.io/company/app but not gcr.io/company-x/app; /var/log covers /var/log/app, not /var/logs.
under(name, prefix) if startswith(sprintf("%s/", [name]), sprintf("%s/", [trim_suffix(prefix, "/")]))

# A list for a message: its items joined, or "none".
listing(xs) := "none" if count(xs) == 0

listing(xs) := concat(", ", xs) if count(xs) > 0
