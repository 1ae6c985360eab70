# The admission decision: POST /v1/admit reads deny, warn and audit_annotations here, and
# POST /v1/mutate reads patch. Each concern lives in its own package below this one.
package kubernetes.admission

import data.kubernetes.admission.images
import data.kubernetes.admission.mutation
import data.kubernetes.admission.network
import data.kubernetes.admission.pod_security
import data.kubernetes.admission.runtime

deny contains msg if some msg in pod_security.deny

deny contains msg if some msg in images.deny

deny contains msg if some msg in runtime.deny

deny contains msg if some msg in network.deny

warn contains msg if some msg in pod_security.warn

warn contains msg if some msg in network.warn

patch contains op if some op in mutation.patch

# The profile a Pod was judged by, in the API server's audit log.
audit_annotations["pod-security-profile"] := pod_security.enforce if pod_security.applies
