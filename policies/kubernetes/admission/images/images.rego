# Container images: only allowed registries, and a real tag (no `:latest`, no untagged images).
# Knobs (data.config.images): allowed_registries (prefixes, e.g. "registry.example.com/").
package kubernetes.admission

import data.config.images as cfg

# Every container of a Pod, including init and ephemeral containers.
pod_containers contains c if {
	input.request.kind.kind == "Pod"
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some c in input.request.object.spec[field]
}

deny contains msg if {
	some c in pod_containers
	not allowed_registry(c.image)
	msg := sprintf("container %s: image %s comes from a registry that is not allowed (allowed: %s)", [c.name, c.image, concat(", ", cfg.allowed_registries)])
}

deny contains msg if {
	some c in pod_containers
	endswith(c.image, ":latest")
	msg := sprintf("container %s: image %s uses the mutable tag latest", [c.name, c.image])
}

deny contains msg if {
	some c in pod_containers
	not tagged(c.image)
	msg := sprintf("container %s: image %s has no tag or digest", [c.name, c.image])
}

allowed_registry(image) if {
	some prefix in cfg.allowed_registries
	startswith(image, prefix)
}

# A tag is a ':' after the last '/', or the image is pinned by digest.
tagged(image) if contains(image, "@sha256:")

tagged(image) if {
	parts := split(image, "/")
	contains(parts[count(parts) - 1], ":")
}
