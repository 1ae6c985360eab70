package kubernetes.admission.images_test

import data.kubernetes.admission.images
import data.lib.testing

# The knobs every test sets explicitly (data.config.images replaces the shipped config/data.json).
registries := ["registry.example.com/", "gcr.io/company"]

allowed := {"allowed_registries": registries}

not_allowed(container, path, image) := sprintf("container %s: %s.image %s comes from a registry that is not allowed (allowed: registry.example.com/, gcr.io/company)", [container, path, image])

with_image(image) := testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": image}])

# The image messages for obj in namespace apps under the given data.config.images.
deny_with(obj, config) := d if {
	d := images.deny with input as testing.review("apps", obj)
		with data.config.images as config
}

# The image messages for a Pod whose container app runs image, with the registries allowed.
deny_for(image) := deny_with(with_image(image), allowed)

# Only the latest rule: any registry.
latest_deny(image) := deny_with(with_image(image), {})

# An UPDATE of old into new.
update(ns, old, new) := json.patch(testing.review(ns, new), [
	{"op": "replace", "path": "/request/operation", "value": "UPDATE"},
	{"op": "add", "path": "/request/oldObject", "value": old},
])

# Reference parsing, as Docker reads image names.

test_reference_docker_hub_official_images if {
	images.reference("alpine") == {"name": "docker.io/library/alpine", "tag": "", "digest": ""}
	images.reference("alpine:3.18") == {"name": "docker.io/library/alpine", "tag": "3.18", "digest": ""}
	images.reference("docker.io/library/nginx:1.25") == {"name": "docker.io/library/nginx", "tag": "1.25", "digest": ""}
}

test_reference_docker_hub_named_explicitly if {
	images.reference("docker.io/nginx:1.25") == {"name": "docker.io/library/nginx", "tag": "1.25", "digest": ""}
	images.reference("index.docker.io/library/nginx") == {"name": "docker.io/library/nginx", "tag": "", "digest": ""}
	images.reference("index.docker.io/nginx:1") == {"name": "docker.io/library/nginx", "tag": "1", "digest": ""}
	images.reference("docker.io/luksa/kubia:1") == {"name": "docker.io/luksa/kubia", "tag": "1", "digest": ""}
	images.reference("index.docker.io/luksa/kubia") == {"name": "docker.io/luksa/kubia", "tag": "", "digest": ""}
}

test_reference_docker_hub_users if {
	images.reference("luksa/kubia") == {"name": "docker.io/luksa/kubia", "tag": "", "digest": ""}
	images.reference("kodekloud/webapp-delayed-start:v2") == {"name": "docker.io/kodekloud/webapp-delayed-start", "tag": "v2", "digest": ""}
	# A first segment without '.' or ':' is a Docker Hub user, not a registry.
	images.reference("my-registry/app:1") == {"name": "docker.io/my-registry/app", "tag": "1", "digest": ""}
}

test_reference_other_registries if {
	images.reference("gcr.io/google-samples/node-hello:1.0") == {"name": "gcr.io/google-samples/node-hello", "tag": "1.0", "digest": ""}
	images.reference("quay.io/org/team/app:v1") == {"name": "quay.io/org/team/app", "tag": "v1", "digest": ""}
}

test_reference_registry_ports if {
	# A ':' before the last segment is a port, not a tag.
	images.reference("registry.example.com:5000/app") == {"name": "registry.example.com:5000/app", "tag": "", "digest": ""}
	images.reference("registry.example.com:5000/team/app:2.1") == {"name": "registry.example.com:5000/team/app", "tag": "2.1", "digest": ""}
	images.reference("myregistry:5000/app:1") == {"name": "myregistry:5000/app", "tag": "1", "digest": ""}
}

test_reference_localhost if {
	images.reference("localhost/x:latest") == {"name": "localhost/x", "tag": "latest", "digest": ""}
	images.reference("localhost:5000/x") == {"name": "localhost:5000/x", "tag": "", "digest": ""}
}

test_reference_digests if {
	images.reference("gcr.io/x/y:1@sha256:abc") == {"name": "gcr.io/x/y", "tag": "1", "digest": "sha256:abc"}
	images.reference("alpine@sha256:abc") == {"name": "docker.io/library/alpine", "tag": "", "digest": "sha256:abc"}
	images.reference("localhost:5000/x@sha256:abc") == {"name": "localhost:5000/x", "tag": "", "digest": "sha256:abc"}
}

# allowed_registries.

test_allowed_registries if {
	count(deny_for("registry.example.com/team/app:1.2.3")) == 0
	count(deny_for("registry.example.com/app@sha256:0123456789abcdef")) == 0
	count(deny_for("gcr.io/company/app:1")) == 0
	count(deny_for("gcr.io/company/team/app:1")) == 0
}

test_registry_not_allowed if {
	deny_for("quay.io/me/app:1") == {not_allowed("app", "spec.containers[0]", "quay.io/me/app:1")}
	deny_for("docker.io/library/nginx:1.25") == {not_allowed("app", "spec.containers[0]", "docker.io/library/nginx:1.25")}
}

test_registry_message_names_the_normalised_image if {
	deny_for("nginx:1.25") == {not_allowed("app", "spec.containers[0]", "nginx:1.25 (docker.io/library/nginx)")}
	deny_for("docker.io/nginx:1.25") == {not_allowed("app", "spec.containers[0]", "docker.io/nginx:1.25 (docker.io/library/nginx)")}
	deny_for("luksa/kubia:1") == {not_allowed("app", "spec.containers[0]", "luksa/kubia:1 (docker.io/luksa/kubia)")}
}

test_prefixes_match_whole_segments if {
	deny_for("gcr.io/company-x/app:1") == {not_allowed("app", "spec.containers[0]", "gcr.io/company-x/app:1")}
	count(deny_for("gcr.io/companyapp:1")) == 1
	count(deny_for("registry.example.com.evil.io/app:1")) == 1
	count(deny_for("evil.io/registry.example.com/app:1")) == 1
	# A prefix may name a whole image.
	count(deny_for("gcr.io/company:1")) == 0
}

test_prefix_with_or_without_trailing_slash if {
	every prefix in ["gcr.io/company", "gcr.io/company/"] {
		count(deny_with(with_image("gcr.io/company/app:1"), {"allowed_registries": [prefix]})) == 0
		count(deny_with(with_image("gcr.io/company-x/app:1"), {"allowed_registries": [prefix]})) == 1
	}
}

test_registry_port_is_another_registry if {
	deny_for("registry.example.com:5000/app:1") == {not_allowed("app", "spec.containers[0]", "registry.example.com:5000/app:1")}
	count(deny_with(with_image("registry.example.com:5000/app:1"), {"allowed_registries": ["registry.example.com:5000/"]})) == 0
}

test_docker_hub_official_images_allowed if {
	hub := {"allowed_registries": ["docker.io/library/"]}
	every image in ["nginx:1.25", "docker.io/nginx:1.25", "docker.io/library/nginx:1.25", "index.docker.io/library/nginx:1.25", "index.docker.io/nginx:1.25"] {
		count(deny_with(with_image(image), hub)) == 0
	}
	deny_with(with_image("luksa/kubia:1"), hub) == {"container app: spec.containers[0].image luksa/kubia:1 (docker.io/luksa/kubia) comes from a registry that is not allowed (allowed: docker.io/library/)"}
}

test_localhost_registries if {
	local := {"allowed_registries": ["localhost/"]}
	count(deny_with(with_image("localhost/app:1"), local)) == 0
	count(deny_with(with_image("localhost:5000/app:1"), local)) == 1
	count(deny_with(with_image("app:1"), local)) == 1
}

test_any_registry_without_the_knob if {
	count(deny_with(with_image("quay.io/me/app:1"), {})) == 0
	count(deny_with(with_image("quay.io/me/app:1"), {"allowed_registries": null})) == 0
	count(deny_with(with_image("quay.io/me/app:1"), {"forbid_latest": true})) == 0
}

test_empty_allowed_registries_allow_none if {
	count(deny_with(with_image("registry.example.com/app:1"), {"allowed_registries": []})) == 1
}

# forbid_latest.

test_latest_denied if {
	latest_deny("registry.example.com/web:latest") == {"container app: spec.containers[0].image registry.example.com/web:latest uses the mutable tag latest; name a version (or a digest)"}
	latest_deny("alpine:latest") == {"container app: spec.containers[0].image alpine:latest uses the mutable tag latest; name a version (or a digest)"}
}

test_untagged_denied if {
	latest_deny("registry.example.com/web") == {"container app: spec.containers[0].image registry.example.com/web has no tag (so it means :latest); name a version (or a digest)"}
	latest_deny("alpine") == {"container app: spec.containers[0].image alpine has no tag (so it means :latest); name a version (or a digest)"}
}

test_registry_port_is_not_a_tag if {
	latest_deny("registry.example.com:5000/web") == {"container app: spec.containers[0].image registry.example.com:5000/web has no tag (so it means :latest); name a version (or a digest)"}
	count(latest_deny("registry.example.com:5000/web:1")) == 0
	# Both rules for an untagged image from a registry not allowed.
	count(deny_for("registry.example.com:5000/web")) == 2
}

test_versions_pass if {
	count(latest_deny("registry.example.com/web:1.0")) == 0
	count(latest_deny("registry.example.com/latest:1.0")) == 0
	count(latest_deny("registry.example.com/web:latest-1")) == 0
}

test_digest_counts_as_a_version if {
	count(latest_deny("registry.example.com/web@sha256:0123456789abcdef")) == 0
	count(latest_deny("registry.example.com/web:latest@sha256:0123456789abcdef")) == 0
	count(latest_deny("alpine@sha256:0123456789abcdef")) == 0
}

test_latest_allowed_by_knob if {
	count(deny_with(with_image("alpine"), {"forbid_latest": false})) == 0
	count(deny_with(with_image("alpine:latest"), {"forbid_latest": false})) == 0
}

# require_digest.

test_require_digest if {
	deny_with(with_image("registry.example.com/web:1"), {"require_digest": true}) == {"container app: spec.containers[0].image registry.example.com/web:1 is not pinned by digest (@sha256:…)"}
	count(deny_with(with_image("registry.example.com/web@sha256:abc"), {"require_digest": true})) == 0
	count(deny_with(with_image("registry.example.com/web:1@sha256:abc"), {"require_digest": true})) == 0
}

test_require_digest_and_latest_together if {
	deny_with(with_image("registry.example.com/web"), {"require_digest": true}) == {
		"container app: spec.containers[0].image registry.example.com/web has no tag (so it means :latest); name a version (or a digest)",
		"container app: spec.containers[0].image registry.example.com/web is not pinned by digest (@sha256:…)",
	}
}

test_digest_not_required_by_default if {
	count(deny_with(with_image("registry.example.com/web:1"), {})) == 0
	count(deny_with(with_image("registry.example.com/web:1"), {"require_digest": false})) == 0
}

# private_registries.

private_pod(image, secrets) := testing.changed([
	{"op": "replace", "path": "/spec/containers/0/image", "value": image},
	{"op": "add", "path": "/spec/imagePullSecrets", "value": [{"name": s} | some s in secrets]},
])

private_config(names) := {"private_registries": [{"registry": "myprivateregistry.com:5000", "pull_secrets": names}]}

private_deny(obj, names) := deny_with(obj, private_config(names))

private_image := "myprivateregistry.com:5000/app:1"

test_private_registry_needs_named_secret if {
	private_deny(private_pod(private_image, []), ["private-reg-cred"]) == {"container app: spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.imagePullSecrets (one of: private-reg-cred)"}
	private_deny(private_pod(private_image, ["other"]), ["private-reg-cred", "backup-cred"]) == {"container app: spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.imagePullSecrets (one of: private-reg-cred, backup-cred)"}
	count(private_deny(private_pod(private_image, ["other", "private-reg-cred"]), ["private-reg-cred"])) == 0
	count(private_deny(private_pod(private_image, ["backup-cred"]), ["private-reg-cred", "backup-cred"])) == 0
	count(private_deny(with_image(private_image), ["private-reg-cred"])) == 1
}

test_private_registry_any_secret if {
	private_deny(private_pod(private_image, []), []) == {"container app: spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.imagePullSecrets (any secret)"}
	count(private_deny(private_pod(private_image, ["whatever"]), [])) == 0
	count(private_deny(with_image(private_image), [])) == 1
}

test_private_registry_without_pull_secrets_key if {
	config := {"private_registries": [{"registry": "myprivateregistry.com:5000"}]}
	deny_with(with_image(private_image), config) == {"container app: spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.imagePullSecrets (any secret)"}
	count(deny_with(private_pod(private_image, ["whatever"]), config)) == 0
}

test_other_registries_need_no_secret if {
	count(private_deny(testing.restricted_pod, [])) == 0
	count(private_deny(with_image("myprivateregistry.com/app:1"), [])) == 0
	count(private_deny(with_image("myprivateregistry.com:5000.evil.io/app:1"), [])) == 0
}

test_private_registry_path_prefix if {
	config := {"private_registries": [{"registry": "registry.example.com/private/", "pull_secrets": ["cred"]}]}
	count(deny_with(with_image("registry.example.com/private/app:1"), config)) == 1
	count(deny_with(with_image("registry.example.com/privateer/app:1"), config)) == 0
	count(deny_with(with_image("registry.example.com/app:1"), config)) == 0
}

test_several_private_registries if {
	config := {
		"private_registries": [
			{"registry": "a.example.com", "pull_secrets": ["a-cred"]},
			{"registry": "b.example.com", "pull_secrets": ["b-cred"]},
		],
	}
	obj := testing.changed([
		{"op": "add", "path": "/spec/containers/-", "value": {"name": "b", "image": "b.example.com/app:1"}},
		{"op": "replace", "path": "/spec/containers/0/image", "value": "a.example.com/app:1"},
		{"op": "add", "path": "/spec/imagePullSecrets", "value": [{"name": "a-cred"}]},
	])
	deny_with(obj, config) == {"container b: spec.containers[1].image b.example.com/app:1 comes from the private registry b.example.com and needs spec.imagePullSecrets (one of: b-cred)"}
}

test_private_registry_in_a_template if {
	deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": with_image(private_image)}}
	private_deny(deployment, ["cred"]) == {"container app: spec.template.spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.template.spec.imagePullSecrets (one of: cred)"}
}

# Every container, and Pods in workload templates.

test_every_container_of_a_pod if {
	bad := {"name": "helper", "image": "evil.io/x:1"}
	obj := testing.changed([
		{"op": "add", "path": "/spec/containers/-", "value": {"name": "sidecar", "image": "evil.io/sidecar:1"}},
		{"op": "add", "path": "/spec/initContainers", "value": [{"name": "init", "image": "registry.example.com/init:1"}, bad]},
		{"op": "add", "path": "/spec/ephemeralContainers", "value": [{"name": "debug", "image": "busybox"}]},
	])
	deny_with(obj, allowed) == {
		not_allowed("sidecar", "spec.containers[1]", "evil.io/sidecar:1"),
		not_allowed("helper", "spec.initContainers[1]", "evil.io/x:1"),
		not_allowed("debug", "spec.ephemeralContainers[0]", "busybox (docker.io/library/busybox)"),
		"container debug: spec.ephemeralContainers[0].image busybox has no tag (so it means :latest); name a version (or a digest)",
	}
}

test_deployment_template if {
	deployment := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": with_image("evil.io/x:latest")}}
	deny_with(deployment, allowed) == {
		not_allowed("app", "spec.template.spec.containers[0]", "evil.io/x:latest"),
		"container app: spec.template.spec.containers[0].image evil.io/x:latest uses the mutable tag latest; name a version (or a digest)",
	}
}

test_cronjob_template if {
	bad := {"name": "i", "image": "evil.io/x:1"}
	obj := testing.changed([
		{"op": "add", "path": "/spec/initContainers", "value": [bad]},
		{"op": "add", "path": "/spec/ephemeralContainers", "value": [bad]},
	])
	cronjob := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": obj}}}}
	deny_with(cronjob, allowed) == {
		not_allowed("i", "spec.jobTemplate.spec.template.spec.initContainers[0]", "evil.io/x:1"),
		not_allowed("i", "spec.jobTemplate.spec.template.spec.ephemeralContainers[0]", "evil.io/x:1"),
	}
}

test_every_workload_kind if {
	every kind in ["StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": with_image("evil.io/x:1")}}
		deny_with(obj, allowed) == {not_allowed("app", "spec.template.spec.containers[0]", "evil.io/x:1")}
	}
	template := {"kind": "PodTemplate", "metadata": {"name": "t"}, "template": with_image("evil.io/x:1")}
	deny_with(template, allowed) == {not_allowed("app", "template.spec.containers[0]", "evil.io/x:1")}
}

test_other_kinds_ignored if {
	count(deny_with({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"image": "evil.io/x"}}, allowed)) == 0
	count(deny_with({"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "ClusterIP"}}, allowed)) == 0
}

# What is checked: exempt namespaces, operations, updates.

bad_pod := with_image("evil.io/x")

test_kube_system_exempt_by_default if {
	# Without data.config.exempt_namespaces, kube-system is exempt.
	d := images.deny with input as testing.review("kube-system", bad_pod)
		with data.config as {"images": allowed}
	count(d) == 0
	d2 := images.deny with input as testing.review("apps", bad_pod)
		with data.config as {"images": allowed}
	count(d2) == 2
}

test_exempt_namespaces_from_data if {
	legacy := images.deny with input as testing.review("legacy", bad_pod)
		with data.config as {"images": allowed, "exempt_namespaces": ["legacy"]}
	count(legacy) == 0
	kube_system := images.deny with input as testing.review("kube-system", bad_pod)
		with data.config as {"images": allowed, "exempt_namespaces": ["legacy"]}
	count(kube_system) == 2
}

test_delete_not_checked if {
	delete := json.patch(testing.review("apps", bad_pod), [{"op": "replace", "path": "/request/operation", "value": "DELETE"}])
	d := images.deny with input as delete
		with data.config.images as allowed
	count(d) == 0
}

test_status_writes_not_checked if {
	status := json.patch(update("apps", testing.restricted_pod, bad_pod), [{"op": "add", "path": "/request/subResource", "value": "status"}])
	d := images.deny with input as status
		with data.config.images as allowed
	count(d) == 0
}

test_updates if {
	# A new image is judged.
	changed := images.deny with input as update("apps", testing.restricted_pod, bad_pod)
		with data.config.images as allowed
	count(changed) == 2

	# A label change on a Pod whose spec stays as it was is not.
	relabelled := json.patch(bad_pod, [{"op": "add", "path": "/metadata/labels", "value": {"app": "x"}}])
	same := images.deny with input as update("apps", bad_pod, relabelled)
		with data.config.images as allowed
	count(same) == 0
}
