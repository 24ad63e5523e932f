//! The database schema, maintained by hand (ids are `BigInt` on both backends).
//! The acceptance test `schema_matches_both_backends` compares it with both migrated databases.
#![allow(missing_docs)]

diesel::table! {
    /// Key/value settings that must be shared by all server processes (e.g. the JWT secret).
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Agents (staff, `is_admin` for administrators) and customer users in one table.
    users (id) {
        id -> BigInt,
        kind -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        is_admin -> Bool,
        active -> Bool,
        language -> Nullable<Text>,
        time_zone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Opaque refresh tokens (SHA-256 hashed), rotated on use.
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Personal API tokens for scripts and third-party systems (SHA-256 hashed).
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        token_prefix -> Text,
        scope -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Failed logins per subject (`account:<email>` or `address:<ip>`), for lockouts.
    login_failures (id) {
        id -> BigInt,
        subject -> Text,
        failed_at -> Timestamp,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    settings,
    users,
    refresh_tokens,
    api_tokens,
    login_failures,
);
