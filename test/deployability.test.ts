// What a first real deployment of the sample environments would hit, found by an AWS review of the synthesized
// output (issue 17, "Defects to fix"): each block guards one defect on the stacks the sample files produce.
import { replacementNames } from "../guardrails/rules/replacement-names.ts";
import { blocksOf } from "../guardrails/view.ts";
import { EXEC_AGENT_PATHS } from "../modules/ecs-service/ecs-service.ts";
import { build, onlyResource, stackOf, synthJson } from "./helpers.ts";

const built = build();
const json = (id: string) => synthJson(stackOf(built, id));

describe("ECS Exec under a read-only root filesystem", () => {
  it("mounts writable volumes at the agent's paths when execCommand is on (dev)", () => {
    const td = onlyResource(json("dev-ecs"), "aws_ecs_task_definition");
    const [container] = JSON.parse(td.container_definitions as string) as {
      readonlyRootFilesystem: boolean;
      mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    }[];
    expect(container!.readonlyRootFilesystem).toBe(true);
    const mounted = container!.mountPoints.filter((m) => !m.readOnly).map((m) => m.containerPath);
    expect(mounted).toEqual(expect.arrayContaining([...EXEC_AGENT_PATHS]));
    const volumes = (td.volume as { name: string }[]).map((v) => v.name);
    for (const m of container!.mountPoints) expect(volumes).toContain(m.sourceVolume);
  });

  it("mounts nothing for the agent when execCommand is off (prod)", () => {
    const td = onlyResource(json("prod-ecs"), "aws_ecs_task_definition");
    expect(td.container_definitions).not.toContain("/managed-agents");
  });
});

describe("create_before_destroy and names", () => {
  it.each(built.stacks.map((s) => [s.node.id, s] as const))(
    "leaves no fixed unique name on a create_before_destroy resource in %s",
    (_id, stack) => {
      const found = replacementNames({ stackId: _id, blocks: blocksOf(stack), protected: true });
      expect(found.map((f) => f.block.address)).toEqual([]);
    },
  );
});
