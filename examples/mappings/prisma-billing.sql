-- The table a Prisma model like this one creates, for examples/mappings/prisma-billing.yaml, and the
-- trigger that keeps "User"."plan" (examples/mappings/prisma-user.sql) current from it:
--   model SubscriptionItem { id Int @id @default(autoincrement())  clerkId String @unique  userId String?
--                            organizationId String?  plan String?  status String?  periodEnd DateTime?
--                            updatedAt DateTime? }
-- clerk-sync keeps each subscription item's row current (in order, exactly once); the trigger, the
-- application's own, sets the user's plan to the plan of their newest active or past-due item, or
-- 'free' when none is left. (A mapping's key is its record's own id, so the plan is derived here
-- rather than mapped onto "User" directly: a user may have several items.)
CREATE TABLE "SubscriptionItem" (
    "id" SERIAL PRIMARY KEY,
    "clerkId" TEXT NOT NULL,
    "userId" TEXT,
    "organizationId" TEXT,
    "plan" TEXT,
    "status" TEXT,
    "periodEnd" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3)
);
CREATE UNIQUE INDEX "SubscriptionItem_clerkId_key" ON "SubscriptionItem"("clerkId");
CREATE INDEX "SubscriptionItem_userId_idx" ON "SubscriptionItem"("userId");

CREATE FUNCTION app_user_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "User" u SET "plan" = COALESCE(
        (SELECT s."plan" FROM "SubscriptionItem" s
         WHERE s."userId" = NEW."userId" AND s."status" IN ('active', 'past_due')
         ORDER BY s."updatedAt" DESC NULLS LAST LIMIT 1), 'free')
    WHERE u."clerkId" = NEW."userId";
    RETURN NULL;
END
$$;
CREATE TRIGGER "SubscriptionItem_user_plan" AFTER INSERT OR UPDATE ON "SubscriptionItem"
    FOR EACH ROW EXECUTE FUNCTION app_user_plan();
