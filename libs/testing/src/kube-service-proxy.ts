import { kubeStatus } from './kube-objects';
import type { ReceiverReply, RecordedRequest, Responder } from './receiver';

/** One request the API server's service proxy passes to a service. */
export interface ProxiedRequest {
  namespace: string;
  service: string;
  /** The port part of `<service>:<port>` (a number or a port name). */
  port: string;
  /** What follows `/proxy` (the path the service sees), with the query. */
  path: string;
  request: RecordedRequest;
}

const PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/:]+)(?::([^/]+))?\/proxy(\/[^?]*)?(\?.*)?$/;

/**
 * The Kubernetes API server's service proxy (`POST /api/v1/namespaces/<ns>/services/<name>:<port>/proxy/…`)
 * as a Receiver responder: a request without `Authorization: Bearer <token>` gets the API server's 401
 * `Status`, a path that is not a service proxy a 404 `Status`, and a proxied one whatever `service` (the
 * service behind the proxy) answers. Use with `writeKubeconfig(receiver.url, token)`.
 */
export function serviceProxyResponder(
  token: string,
  service: (req: ProxiedRequest) => ReceiverReply,
): Responder {
  return (request) => {
    if (request.headers['authorization'] !== `Bearer ${token}`) {
      return { status: 401, body: JSON.stringify(kubeStatus(401, 'Unauthorized', 'Unauthorized')) };
    }
    const m = PROXY.exec(request.url);
    if (m === null) {
      return {
        status: 404,
        body: JSON.stringify(kubeStatus(404, 'NotFound', 'the server could not find the requested resource')),
      };
    }
    return service({
      namespace: m[1] ?? '',
      service: m[2] ?? '',
      port: m[3] ?? '',
      path: `${m[4] ?? ''}${m[5] ?? ''}`,
      request,
    });
  };
}
