// modules/rds-instance: a PostgreSQL or MySQL instance, encrypted, private, with a managed secret, TLS and backups.
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { RdsInstance, type RdsInstanceProps } from "../../modules/rds-instance/rds-instance.ts";
import { FAKE_POSTGRES, FAKE_STORE, itRefuses, moduleBuilder } from "../helpers.ts";

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
  ...FAKE_POSTGRES,
};

const instance = moduleBuilder((s, p) => new RdsInstance(s, "Db", p), MINIMAL);

it("is encrypted, private, keeps its password in a managed secret and is protected with a final snapshot", () => {
  // GIVEN / WHEN a protected instance with minimal props
  const db = instance().one(DbInstance);
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
  expect(instance().one(DbParameterGroup)).toMatchObject({
    family: "postgres16",
    parameter: expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }]),
  });
});

it("forces TLS on MySQL with require_secure_transport", () => {
  const mysql = instance({ engine: "mysql", engineVersion: "8.0", port: 3306 });
  expect(mysql.one(DbParameterGroup)).toMatchObject({
    family: "mysql8.0",
    parameter: expect.arrayContaining([{ name: "require_secure_transport", value: "1" }]),
  });
});

it("lets an unprotected instance go without a final snapshot", () => {
  expect(instance({ protect: false }).one(DbInstance)).toMatchObject({
    deletion_protection: false,
    skip_final_snapshot: true,
    delete_automated_backups: true,
  });
});

itRefuses(instance, "test/Db", [
  [
    "a storage ceiling below the initial storage",
    { maxAllocatedStorageGb: 10 },
    "maxAllocatedStorageGb (10) must be ≥ allocatedStorageGb (20)",
  ],
  [
    "backup retention outside 0-35 days",
    { backupRetentionDays: 36 },
    "backupRetentionDays 36 is outside 0-35",
  ],
]);
