#ifndef STOREPILOT_API_ADMISSION_HTTP_H_
#define STOREPILOT_API_ADMISSION_HTTP_H_

// Admission control on the wire: the HttpServer's AdmissionHook built on an
// overload::AdmissionController. A shed request gets 429 (503 when it is
// critical), a Retry-After header and the standard JSON error, decided from
// its head alone.

#include "api/http_types.h"
#include "overload/admission.h"

namespace storepilot::api {

// `controller` must outlive the returned hook. With `queue_heavy`, admitted
// normal and low requests are marked to wait in the server's priority queue
// (HttpServerOptions::schedule); one dropped from it is counted as shed.
AdmissionHook MakeAdmissionHook(overload::AdmissionController* controller,
                                bool queue_heavy = false);

// The response of a shed request of `decision`'s class.
HttpResponse ShedResponse(const overload::Decision& decision);

}  // namespace storepilot::api

#endif  // STOREPILOT_API_ADMISSION_HTTP_H_
