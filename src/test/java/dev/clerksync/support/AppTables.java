package dev.clerksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

/**
 * An application's own tables and collections as mapping tests use them: Prisma-style (quoted
 * camelCase identifiers, timestamp(3), defaults, a serial id) with columns the application owns and
 * clerk-sync must never touch ({@code plan}, {@code lastSeenAt}), and mapping files for them.
 */
public final class AppTables {

    public static final String DDL = """
            CREATE TABLE "User" (
                "id" SERIAL PRIMARY KEY,
                "clerkId" TEXT NOT NULL,
                "email" VARCHAR(191),
                "firstName" TEXT,
                "lastName" TEXT,
                "name" TEXT,
                "imageUrl" TEXT,
                "role" TEXT,
                "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                "updatedAt" TIMESTAMP(3),
                "plan" TEXT NOT NULL DEFAULT 'free',
                "lastSeenAt" TIMESTAMPTZ
            );
            CREATE UNIQUE INDEX "User_clerkId_key" ON "User"("clerkId");
            CREATE TABLE "Membership" (
                "clerkId" TEXT PRIMARY KEY,
                "role" TEXT,
                "orgId" TEXT,
                "userId" TEXT,
                "note" TEXT DEFAULT 'app-owned'
            );
            CREATE TABLE "AuditLog" (
                "id" SERIAL PRIMARY KEY,
                "svixId" TEXT NOT NULL UNIQUE,
                "type" TEXT,
                "outcome" TEXT,
                "payload" JSONB,
                "email" TEXT,
                "at" TIMESTAMPTZ
            );
            """;

    public static final String MAPPINGS = """
            mappings:
              - id: app-users
                record: user
                postgres:
                  table: User
                  key: clerkId
                  columns:
                    email: email
                    firstName: first_name
                    lastName: last_name
                    name: "${first_name} ${last_name}"
                    imageUrl: image_url
                    role: data.public_metadata.role
                    createdAt: created_at
                    updatedAt: updated_at
                  on-delete: delete
                mongodb:
                  collection: app_users
                  key: clerkId
                  fields:
                    email: email
                    name: "${first_name} ${last_name}"
                    imageUrl: image_url
                    updatedAt: updated_at
                  on-delete: delete
              - id: app-memberships
                record: membership
                postgres:
                  table: Membership
                  key: clerkId
                  columns: {role: role, orgId: organization_id, userId: user_id}
                  on-delete: keep
                mongodb:
                  collection: app_memberships
                  key: _id
                  fields: {role: role, userId: user_id}
                  on-delete: keep
              - id: app-audit
                record: audit
                postgres:
                  table: AuditLog
                  key: svixId
                  columns: {type: event_type, outcome: outcome, payload: payload, email: "data.email_addresses[0].email_address", at: event_at}
                mongodb:
                  collection: app_audit
                  key: _id
                  fields: {type: event_type, outcome: outcome, payload: payload}
            """;

    private AppTables() {
    }

    /** Creates the tables, and the unique index the users collection's key needs. */
    public static void create(PostgresDatabase postgres, MongoTestServer mongo) {
        execute(postgres, DDL);
        if (mongo != null) {
            mongo.database().getCollection("app_users").createIndex(Indexes.ascending("clerkId"), new IndexOptions().unique(true));
        }
    }

    public static void execute(PostgresDatabase postgres, String sql) {
        try (Connection connection = DriverManager.getConnection(postgres.url(), PostgresDatabase.user(), PostgresDatabase.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mappings folder holding this text as {@code app.yaml}. */
    public static Path folder(Path parent, String yaml) {
        try {
            Path folder = Files.createDirectories(parent.resolve("mappings"));
            Files.writeString(folder.resolve("app.yaml"), yaml);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
