// Checks of the `frontend:` section against the environment's own `service:` section. Its names are checked with
// every other DNS name in checks.ts (inside the zone, never used twice).
import type { CrossCheck } from "./checks.ts";
import type { ConfigProblem } from "./errors.ts";

/** API routing needs a service, and each origin mode needs a load balancer it can work with. */
export const frontendApiOrigin: CrossCheck = ({ environments }, fileOf) => {
  const problems: ConfigProblem[] = [];
  for (const e of environments) {
    const api = e.frontend?.api;
    if (!api) continue;
    const file = fileOf.env(e.name);
    const service = e.service;
    if (!service) {
      problems.push({
        file,
        path: ["frontend", "api"],
        message: "routes to the service's load balancer, but this environment has no service: section",
      });
      continue;
    }
    if (api.originMode === "publicAlb" && !service.domain)
      problems.push({
        file,
        path: ["frontend", "api", "originMode"],
        message:
          "publicAlb sends the secret origin header over the internet, which needs HTTPS: give the load balancer a name with service.domain (e.g. origin.<domain>), or use vpcOrigin",
      });
    if (api.originMode === "publicAlb" && service.deployment.type !== "rolling")
      problems.push({
        file,
        path: ["frontend", "api", "originMode"],
        message: `publicAlb forwards requests with the origin header to one target group, which a ${service.deployment.type} blue/green release would bypass; use vpcOrigin, or rolling deployments`,
      });
    // Every request the load balancer serves now comes through CloudFront: its web ACL sees edge addresses.
    if (!service.waf.rateLimit.count)
      problems.push({
        file,
        path: ["service", "waf", "rateLimit"],
        message:
          "behind CloudFront (frontend.api) the load balancer's web ACL sees CloudFront's addresses, not the viewers', so a per-IP limit would block whole edge locations: set count: true (frontend.waf.rateLimit limits each viewer at the edge)",
      });
    if (service.waf.captchaPaths.length)
      problems.push({
        file,
        path: ["service", "waf", "captchaPaths"],
        message:
          "behind CloudFront (frontend.api) a CAPTCHA token is issued for the Host CloudFront sends, not the viewer's domain, so viewers would be challenged on every request: remove captchaPaths",
      });
    if (api.originMode === "vpcOrigin") {
      // A VPC origin needs an internal load balancer; these settings only make sense on a public one.
      if (service.loadBalancer.ingress === "cloudfront")
        problems.push({
          file,
          path: ["service", "loadBalancer", "ingress"],
          message:
            "cloudfront keeps the load balancer internet-facing for CloudFront's public prefix list, but frontend.api.originMode vpcOrigin makes it internal; remove ingress or use originMode publicAlb",
        });
      const deployment = service.deployment as { readonly testTrafficCidrs?: readonly string[] };
      if (deployment.testTrafficCidrs?.length)
        problems.push({
          file,
          path: ["service", "deployment", "testTrafficCidrs"],
          message:
            "admits test traffic from outside the VPC, but frontend.api.originMode vpcOrigin makes the load balancer internal; remove the CIDRs or use originMode publicAlb",
        });
    }
  }
  return problems;
};
