# Container images: where they come from and how they are named. Image references are read as
# Docker reads them ("nginx" is docker.io/library/nginx, untagged means :latest).
# Knobs (data.config.images): allowed_registries (prefixes of normalised names, e.g.
# "registry.example.com/" or "docker.io/library/"; not set: any registry), forbid_latest,
# require_digest, private_registries ([{"registry", "pull_secrets"}]).
package kubernetes.admission.images

import data.lib.kubernetes as k8s

defaults := {
	"allowed_registries": null,
	"forbid_latest": true,
	"require_digest": false,
	"private_registries": [],
}

config := k8s.settings("images", defaults)

# Every container's image, with its reference parsed.
images contains {"container": c, "image": image, "ref": reference(image)} if {
	k8s.pod_checked
	some c in k8s.containers
	image := c.container.image
}

deny contains msg if {
	is_array(config.allowed_registries)
	some i in images
	not from_allowed_registry(i.ref.name)
	msg := sprintf("container %s: %s.image %s comes from a registry that is not allowed (allowed: %s)", [i.container.name, i.container.path, named(i), k8s.listing(config.allowed_registries)])
}

deny contains msg if {
	config.forbid_latest == true
	some i in images
	i.ref.digest == ""
	i.ref.tag in {"", "latest"}
	msg := sprintf("container %s: %s.image %s %s; name a version (or a digest)", [i.container.name, i.container.path, i.image, latest_text(i.ref.tag)])
}

deny contains msg if {
	config.require_digest == true
	some i in images
	i.ref.digest == ""
	msg := sprintf("container %s: %s.image %s is not pinned by digest (@sha256:…)", [i.container.name, i.container.path, i.image])
}

deny contains msg if {
	some i in images
	some private in config.private_registries
	k8s.under(i.ref.name, private.registry)
	not has_pull_secret(object.get(private, "pull_secrets", []))
	msg := sprintf("container %s: %s.image %s comes from the private registry %s and needs %s.imagePullSecrets (%s)", [i.container.name, i.container.path, i.image, private.registry, k8s.spec_path, secrets_text(object.get(private, "pull_secrets", []))])
}

# The image as written, and its full name when Docker's defaults complete it.
named(i) := i.image if startswith(i.image, i.ref.name)

named(i) := sprintf("%s (%s)", [i.image, i.ref.name]) if not startswith(i.image, i.ref.name)

latest_text("") := "has no tag (so it means :latest)"

latest_text("latest") := "uses the mutable tag latest"

secrets_text(names) := "any secret" if count(names) == 0

secrets_text(names) := sprintf("one of: %s", [concat(", ", names)]) if count(names) > 0

from_allowed_registry(name) if {
	some prefix in config.allowed_registries
	k8s.under(name, prefix)
}

has_pull_secret(names) if {
	count(names) == 0
	count(object.get(k8s.pod_spec, "imagePullSecrets", [])) > 0
}

has_pull_secret(names) if {
	some secret in k8s.pod_spec.imagePullSecrets
	secret.name in names
}

# registry/repository, tag and digest of an image reference.
reference(image) := {"name": normalised(name), "tag": tag, "digest": digest} if {
	[name_tag, digest] := split_digest(image)
	[name, tag] := split_tag(name_tag)
}

split_digest(image) := [image, ""] if not contains(image, "@")

split_digest(image) := [parts[0], parts[1]] if {
	parts := split(image, "@")
	count(parts) == 2
}

# The tag is after a ':' in the last path segment (a ':' before it is a registry port).
split_tag(s) := [trim_suffix(s, sprintf(":%s", [tag])), tag] if {
	segments := split(s, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
}

split_tag(s) := [s, ""] if {
	segments := split(s, "/")
	not contains(segments[count(segments) - 1], ":")
}

# Docker's rule: a first segment with a '.' or ':' (or localhost) is a registry host; otherwise
# the image is on Docker Hub, docker.io, where a single-segment name is an official image under
# library/. Docker Hub named explicitly reads the same: docker.io/nginx and index.docker.io/nginx
# (its legacy name) are docker.io/library/nginx.
normalised(name) := name if {
	host := registry(name)
	not host in docker_hub_hosts
}

normalised(name) := docker_hub(trim_prefix(name, sprintf("%s/", [host]))) if {
	host := registry(name)
	host in docker_hub_hosts
}

normalised(name) := docker_hub(name) if not registry(name)

# The registry host a name starts with, if it names one.
registry(name) := host if {
	contains(name, "/")
	host := split(name, "/")[0]
	registry_host(host)
}

docker_hub_hosts := {"docker.io", "index.docker.io"}

docker_hub(path) := sprintf("docker.io/%s", [path]) if contains(path, "/")

docker_hub(path) := sprintf("docker.io/library/%s", [path]) if not contains(path, "/")

registry_host(s) if contains(s, ".")

registry_host(s) if contains(s, ":")

registry_host("localhost")
