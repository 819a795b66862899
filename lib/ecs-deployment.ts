// Facts about ECS-native blue/green deployments shared by the config schema (to refuse what ECS would) and the
// ECS service module (to build the deployment configuration).

/** The stages of an ECS-native blue/green deployment a lifecycle hook can run at, in the order ECS reaches them. */
export const ECS_LIFECYCLE_STAGES = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
] as const;
export type LifecycleStage = (typeof ECS_LIFECYCLE_STAGES)[number];

/** ECS accepts bake times (after the switch, between linear steps, after the canary) of 0 to 1440 minutes. */
export const MAX_BAKE_MINUTES = 1440;
