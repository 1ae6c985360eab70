package kubernetes.admission.images_test

import data.kubernetes.admission.images
import data.lib.testing

registries := ["registry.example.com/", "gcr.io/company"]

# The image messages for a Pod whose container runs image.
deny_for(image) := d if {
	obj := testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": image}])
	d := images.deny with input as testing.review("apps", obj)
		with data.config.images as {"allowed_registries": registries}
}

test_references if {
	images.reference("alpine") == {"name": "docker.io/library/alpine", "tag": "", "digest": ""}
	images.reference("alpine:3.18") == {"name": "docker.io/library/alpine", "tag": "3.18", "digest": ""}
	images.reference("luksa/kubia") == {"name": "docker.io/luksa/kubia", "tag": "", "digest": ""}
	images.reference("registry.example.com:5000/app") == {"name": "registry.example.com:5000/app", "tag": "", "digest": ""}
	images.reference("localhost/x:latest") == {"name": "localhost/x", "tag": "latest", "digest": ""}
	images.reference("gcr.io/x/y:1@sha256:abc") == {"name": "gcr.io/x/y", "tag": "1", "digest": "sha256:abc"}
}

test_allowed_registry_with_tag if {
	count(deny_for("registry.example.com/team/app:1.2.3")) == 0
	count(deny_for("gcr.io/company/app:1")) == 0
}

test_untrusted_registry_denied if {
	deny_for("docker.io/library/nginx:1.25") == {"container app: spec.containers[0].image docker.io/library/nginx:1.25 comes from a registry that is not allowed (allowed: registry.example.com/, gcr.io/company)"}
	deny_for("nginx:1.25") == {"container app: spec.containers[0].image nginx:1.25 (docker.io/library/nginx) comes from a registry that is not allowed (allowed: registry.example.com/, gcr.io/company)"}
}

test_prefixes_match_whole_segments if {
	count(deny_for("gcr.io/company-x/app:1")) == 1
	count(deny_for("registry.example.com.evil.io/app:1")) == 1
}

test_any_registry_without_the_knob if {
	d := images.deny with input as testing.review("apps", testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": "quay.io/me/app:1"}]))
		with data.config.images as {}
	count(d) == 0
}

test_latest_and_untagged_denied if {
	deny_for("registry.example.com/web:latest") == {"container app: spec.containers[0].image registry.example.com/web:latest uses the mutable tag latest; name a version (or a digest)"}
	deny_for("registry.example.com/web") == {"container app: spec.containers[0].image registry.example.com/web has no tag (so it means :latest); name a version (or a digest)"}
	# A registry port is not a tag (and makes another registry).
	count(deny_for("registry.example.com:5000/web")) == 2
}

test_digest_counts_as_a_version if {
	count(deny_for("registry.example.com/web@sha256:0123456789abcdef")) == 0
}

test_latest_allowed_by_knob if {
	d := images.deny with input as testing.review("apps", testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": "alpine"}]))
		with data.config.images as {"forbid_latest": false}
	count(d) == 0
}

test_require_digest if {
	obj := testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": "registry.example.com/web:1"}])
	d := images.deny with input as testing.review("apps", obj)
		with data.config.images as {"require_digest": true}
	d == {"container app: spec.containers[0].image registry.example.com/web:1 is not pinned by digest (@sha256:…)"}
	pinned := testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": "registry.example.com/web@sha256:abc"}])
	count(images.deny) == 0 with input as testing.review("apps", pinned)
		with data.config.images as {"require_digest": true}
}

private_pod(secrets) := testing.changed([
	{"op": "replace", "path": "/spec/containers/0/image", "value": "myprivateregistry.com:5000/app:1"},
	{"op": "add", "path": "/spec/imagePullSecrets", "value": [{"name": s} | some s in secrets]},
])

private_deny(obj, names) := d if {
	d := images.deny with input as testing.review("apps", obj)
		with data.config.images as {"private_registries": [{"registry": "myprivateregistry.com:5000", "pull_secrets": names}]}
}

test_private_registry_needs_named_secret if {
	private_deny(private_pod([]), ["private-reg-cred"]) == {"container app: spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.imagePullSecrets (one of: private-reg-cred)"}
	count(private_deny(private_pod(["other"]), ["private-reg-cred"])) == 1
	count(private_deny(private_pod(["other", "private-reg-cred"]), ["private-reg-cred"])) == 0
}

test_private_registry_any_secret if {
	private_deny(private_pod([]), []) == {"container app: spec.containers[0].image myprivateregistry.com:5000/app:1 comes from the private registry myprivateregistry.com:5000 and needs spec.imagePullSecrets (any secret)"}
	count(private_deny(private_pod(["whatever"]), [])) == 0
	# Other registries need none.
	count(private_deny(testing.restricted_pod, [])) == 0
}

test_every_container_and_template if {
	bad := {"name": "i", "image": "evil.io/x:1"}
	obj := testing.changed([
		{"op": "add", "path": "/spec/initContainers", "value": [bad]},
		{"op": "add", "path": "/spec/ephemeralContainers", "value": [bad]},
	])
	d := images.deny with input as testing.review("apps", {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": obj}}}})
		with data.config.images as {"allowed_registries": registries}
	d == {
		"container i: spec.jobTemplate.spec.template.spec.initContainers[0].image evil.io/x:1 comes from a registry that is not allowed (allowed: registry.example.com/, gcr.io/company)",
		"container i: spec.jobTemplate.spec.template.spec.ephemeralContainers[0].image evil.io/x:1 comes from a registry that is not allowed (allowed: registry.example.com/, gcr.io/company)",
	}
}

test_exempt_and_deletes if {
	obj := testing.changed([{"op": "replace", "path": "/spec/containers/0/image", "value": "evil.io/x"}])
	count(images.deny) == 0 with input as testing.review("kube-system", obj)
	delete := json.patch(testing.review("apps", obj), [{"op": "replace", "path": "/request/operation", "value": "DELETE"}])
	count(images.deny) == 0 with input as delete
}
