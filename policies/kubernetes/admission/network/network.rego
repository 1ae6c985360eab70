# Network exposure: Pods in a namespace with no NetworkPolicy (replicated NetworkPolicies,
# data.kubernetes.networkpolicies) get a warning, or are denied with require_network_policy;
# NodePort Services are denied outside the namespaces allowed; an Ingress host may be claimed by
# one Ingress only (replicated Ingresses, data.kubernetes.ingresses).
# Knobs (data.config.network): require_network_policy, node_port_namespaces.
package kubernetes.admission.network

import data.lib.kubernetes as k8s

defaults := {
	"require_network_policy": false,
	"node_port_namespaces": [],
}

config := k8s.settings("network", defaults)

has_network_policy if count(data.kubernetes.networkpolicies[k8s.namespace]) > 0

unprotected := sprintf("pod: namespace %s has no NetworkPolicy, so any Pod may reach this one", [k8s.namespace]) if {
	input.request.operation == "CREATE"
	k8s.checked
	k8s.pod_spec
	not has_network_policy
}

warn contains unprotected if not config.require_network_policy == true

deny contains unprotected if config.require_network_policy == true

deny contains msg if {
	k8s.checked
	k8s.kind == "Service"
	k8s.obj.spec.type == "NodePort"
	not k8s.namespace in config.node_port_namespaces
	msg := sprintf("service %s: spec.type NodePort is not allowed in namespace %s (allowed in: %s)", [k8s.obj.metadata.name, k8s.namespace, k8s.listing(config.node_port_namespaces)])
}

deny contains msg if {
	k8s.checked
	k8s.kind == "Ingress"
	some i, rule in k8s.obj.spec.rules
	some namespace, ingresses in data.kubernetes.ingresses
	some name, other in ingresses
	not same_ingress(namespace, name)
	some other_rule in other.spec.rules
	other_rule.host == rule.host
	msg := sprintf("ingress %s: spec.rules[%d].host %s is already used by ingress %s/%s", [k8s.obj.metadata.name, i, rule.host, namespace, name])
}

same_ingress(namespace, name) if {
	namespace == k8s.namespace
	name == k8s.obj.metadata.name
}
