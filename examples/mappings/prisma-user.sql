-- The tables a Prisma schema like this one creates (prisma migrate), for examples/mappings/prisma-user.yaml:
--   model User     { id Int @id @default(autoincrement())  clerkId String @unique  email String?
--                    firstName String?  lastName String?  imageUrl String?
--                    createdAt DateTime @default(now())  updatedAt DateTime?  plan String @default("free") }
--   model AuditLog { id Int @id @default(autoincrement())  svixId String @unique  type String
--                    outcome String  payload Json?  at DateTime? }
-- id, plan (and any column not named in the mapping) stay the application's: clerk-sync never writes them.
CREATE TABLE "User" (
    "id" SERIAL PRIMARY KEY,
    "clerkId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "imageUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3),
    "plan" TEXT NOT NULL DEFAULT 'free'
);
CREATE UNIQUE INDEX "User_clerkId_key" ON "User"("clerkId");

CREATE TABLE "AuditLog" (
    "id" SERIAL PRIMARY KEY,
    "svixId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "payload" JSONB,
    "at" TIMESTAMP(3)
);
CREATE UNIQUE INDEX "AuditLog_svixId_key" ON "AuditLog"("svixId");
