// modules/rds-instance: a PostgreSQL or MySQL instance, encrypted, private, with a managed secret, TLS and backups.
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { RdsInstance, type RdsInstanceProps } from "../../modules/rds-instance/rds-instance.ts";
import { FAKE_STORE, moduleStack, onlyResource, synthJson } from "../helpers.ts";

const MINIMAL: RdsInstanceProps = {
  ...FAKE_STORE,
  identifier: "shop-test-main",
  engine: "postgres",
  // A major version: RDS upgrades minor versions itself (environments/sections/data.ts).
  engineVersion: "16",
  instanceClass: "db.t4g.micro",
  multiAz: true,
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  databaseName: "app",
  masterUsername: "app",
  port: 5432,
  backupRetentionDays: 14,
  backupWindow: "02:00-03:00",
  maintenanceWindow: "sun:03:00-sun:04:00",
  performanceInsightsRetentionDays: 7,
  monitoringIntervalSeconds: 60,
  monitoringRoleArn: "arn:aws:iam::111111111111:role/monitoring",
  slowQueryMs: 1000,
};

const instance = (props: Partial<RdsInstanceProps> = {}) =>
  moduleStack((s) => new RdsInstance(s, "Db", { ...MINIMAL, ...props }));

describe("RdsInstance", () => {
  it("is encrypted, private, keeps its password in a managed secret and is protected with a final snapshot", () => {
    // GIVEN / WHEN a protected instance with minimal props
    const db = onlyResource(synthJson(instance()), DbInstance.tfResourceType);
    // THEN
    expect(db).toMatchObject({
      storage_encrypted: true,
      kms_key_id: FAKE_STORE.kmsKeyArn,
      publicly_accessible: false,
      manage_master_user_password: true,
      master_user_secret_kms_key_id: FAKE_STORE.kmsKeyArn,
      ca_cert_identifier: "rds-ca-rsa2048-g1",
      storage_type: "gp3",
      iam_database_authentication_enabled: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "shop-test-main-final",
      performance_insights_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(db).not.toHaveProperty("password");
  });

  it("forces TLS in the parameter group of the engine's family", () => {
    expect(onlyResource(synthJson(instance()), DbParameterGroup.tfResourceType)).toMatchObject({
      family: "postgres16",
      parameter: expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }]),
    });
  });

  it("lets an unprotected instance go without a final snapshot", () => {
    expect(onlyResource(synthJson(instance({ protect: false })), DbInstance.tfResourceType)).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: true,
      delete_automated_backups: true,
    });
  });

  it("refuses a storage ceiling below the initial storage", () => {
    expect(() => instance({ maxAllocatedStorageGb: 10 })).toThrow(
      "test/Db: maxAllocatedStorageGb (10) must be ≥ allocatedStorageGb (20)",
    );
  });

  it("refuses backup retention outside 0-35 days", () => {
    expect(() => instance({ backupRetentionDays: 36 })).toThrow(
      "test/Db: backupRetentionDays 36 is outside 0-35",
    );
  });
});
