package kubernetes.admission_test

import data.kubernetes.admission

pod(containers) := {"request": {"kind": {"kind": "Pod"}, "object": {"spec": {"containers": containers}}}}

test_allowed_registry_with_tag if {
	count(admission.deny) == 0 with input as pod([{"name": "a", "image": "registry.example.com/team/app:1.2.3"}])
}

test_untrusted_registry_denied if {
	msgs := admission.deny with input as pod([{"name": "a", "image": "docker.io/library/nginx:1.25"}])
	some msg in msgs
	contains(msg, "container a: image docker.io/library/nginx:1.25 comes from a registry that is not allowed")
}

test_latest_tag_denied if {
	msgs := admission.deny with input as pod([{"name": "web", "image": "registry.example.com/web:latest"}])
	msgs == {"container web: image registry.example.com/web:latest uses the mutable tag latest"}
}

test_untagged_image_denied if {
	msgs := admission.deny with input as pod([{"name": "web", "image": "registry.example.com/web"}])
	msgs == {"container web: image registry.example.com/web has no tag or digest"}
}

test_digest_counts_as_tag if {
	count(admission.deny) == 0 with input as pod([{"name": "web", "image": "registry.example.com/web@sha256:0123456789abcdef"}])
}

test_registry_port_is_not_a_tag if {
	msgs := admission.deny with input as pod([{"name": "c", "image": "registry.example.com:5000/app"}])
		with data.config.images.allowed_registries as ["registry.example.com:5000/"]
	msgs == {"container c: image registry.example.com:5000/app has no tag or digest"}
}

test_init_containers_checked if {
	inp := {"request": {"kind": {"kind": "Pod"}, "object": {"spec": {"containers": [], "initContainers": [{"name": "i", "image": "evil.io/x:1"}]}}}}
	count(admission.deny) == 1 with input as inp
}

test_registries_from_data if {
	count(admission.deny) == 0 with input as pod([{"name": "a", "image": "quay.io/me/app:1"}])
		with data.config.images.allowed_registries as ["quay.io/me/"]
}
