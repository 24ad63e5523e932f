//! The API's resources, one module each; each module's handlers are registered (and thereby
//! documented) in [`api_v1`] or [`system`].

pub mod audit;
pub mod auth;
pub mod calendars;
pub mod custom_fields;
pub mod customers;
pub mod events;
pub mod groups;
pub mod identity;
pub mod jobs;
pub mod kb;
pub mod mail;
pub mod mail_accounts;
pub mod mail_filters;
pub mod me;
pub mod notifications;
pub mod notifications_admin;
pub mod presence;
pub mod queues;
pub mod reference;
pub mod relations;
pub mod reminders;
pub mod reply_templates;
pub mod reports;
pub mod roles;
pub mod saved_searches;
pub mod selfservice;
pub mod services;
pub mod sla;
pub mod system;
pub mod text_modules;
pub mod tickets;
pub mod users;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig<'_>) {
    cfg.service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(selfservice::password_reset::request_password_reset)
        .service(selfservice::password_reset::confirm_password_reset)
        .service(me::get_me)
        .service(me::update_me)
        .service(me::list_tokens)
        .service(me::create_token)
        .service(me::revoke_token)
        .service(users::list_users)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::update_user)
        .service(groups::list_groups)
        .service(groups::create_group)
        .service(groups::get_group)
        .service(groups::update_group)
        .service(groups::list_group_members)
        .service(groups::set_group_member)
        .service(groups::remove_group_member)
        .service(roles::list_roles)
        .service(roles::create_role)
        .service(roles::get_role)
        .service(roles::update_role)
        .service(roles::set_role_grant)
        .service(roles::add_role_member)
        .service(roles::remove_role_member)
        .service(queues::list_queues)
        .service(queues::list_my_queues)
        .service(queues::create_queue)
        .service(queues::get_queue)
        .service(queues::update_queue)
        .service(reference::list_states)
        .service(reference::create_state)
        .service(reference::update_state)
        .service(reference::list_priorities)
        .service(reference::create_priority)
        .service(reference::update_priority)
        .service(reference::list_ticket_types)
        .service(reference::create_ticket_type)
        .service(reference::update_ticket_type)
        .service(customers::list_customers)
        .service(customers::create_customer)
        .service(customers::get_customer)
        .service(customers::update_customer)
        .service(customers::list_companies)
        .service(customers::create_company)
        .service(customers::get_company)
        .service(customers::update_company)
        .service(custom_fields::list_custom_fields)
        .service(custom_fields::create_custom_field)
        .service(custom_fields::get_custom_field)
        .service(custom_fields::update_custom_field)
        .service(custom_fields::delete_custom_field)
        .service(saved_searches::list_saved_searches)
        .service(saved_searches::create_saved_search)
        .service(saved_searches::get_saved_search)
        .service(saved_searches::update_saved_search)
        .service(saved_searches::delete_saved_search)
        .service(jobs::list_jobs)
        .service(jobs::get_job)
        .service(jobs::retry_job)
        .service(mail::deliver_inbound_mail)
        .service(mail::list_mail_messages)
        .service(mail::get_mail_message)
        .service(mail::download_mail_message)
        .service(mail::retry_mail_message)
        .service(mail::delete_mail_message)
        .service(mail_accounts::list_mail_accounts)
        .service(mail_accounts::create_mail_account)
        .service(mail_accounts::get_mail_account)
        .service(mail_accounts::update_mail_account)
        .service(mail_accounts::delete_mail_account)
        .service(mail_accounts::poll_mail_account)
        .service(mail_filters::list_postmaster_filters)
        .service(mail_filters::create_postmaster_filter)
        .service(mail_filters::get_postmaster_filter)
        .service(mail_filters::update_postmaster_filter)
        .service(mail_filters::delete_postmaster_filter)
        .service(mail_filters::get_queue_mail_settings)
        .service(mail_filters::set_queue_mail_settings)
        .service(calendars::list_calendars)
        .service(calendars::create_calendar)
        .service(calendars::get_calendar)
        .service(calendars::update_calendar)
        .service(sla::list_slas)
        .service(sla::create_sla)
        .service(sla::get_sla)
        .service(sla::update_sla)
        .service(sla::get_queue_sla)
        .service(sla::set_queue_sla)
        .service(services::list_services)
        .service(services::create_service)
        .service(services::get_service)
        .service(services::update_service)
        .service(reminders::list_my_reminders)
        .service(reminders::list_reminders)
        .service(reminders::create_reminder)
        .service(reminders::update_reminder)
        .service(reminders::delete_reminder)
        .service(notifications::list_my_notifications)
        .service(notifications::mark_all_notifications_read)
        .service(notifications::mark_notification_read)
        .service(notifications::get_my_notification_preferences)
        .service(notifications::set_my_notification_preferences)
        .service(notifications_admin::list_notification_rules)
        .service(notifications_admin::set_notification_rules)
        .service(notifications_admin::list_notification_templates)
        .service(notifications_admin::get_notification_template)
        .service(notifications_admin::set_notification_template)
        .service(events::stream_events)
        .service(presence::set_ticket_presence)
        .service(presence::get_ticket_presence)
        .service(presence::leave_ticket_presence)
        .service(identity::sessions::list_my_sessions)
        .service(identity::sessions::end_my_other_sessions)
        .service(identity::sessions::end_my_session)
        .service(identity::sessions::list_user_sessions)
        .service(identity::sessions::end_user_sessions)
        .service(identity::two_factor::get_my_two_factor)
        .service(identity::two_factor::start_my_two_factor)
        .service(identity::two_factor::confirm_my_two_factor)
        .service(identity::two_factor::disable_my_two_factor)
        .service(identity::two_factor::regenerate_my_recovery_codes)
        .service(identity::two_factor::reset_user_two_factor)
        .service(identity::two_factor::get_two_factor_policy)
        .service(identity::two_factor::set_two_factor_policy)
        .service(audit::list_audit_log)
        .service(audit::export_audit_log)
        .configure(relations::configure)
        .configure(tickets::configure)
        .configure(kb::configure)
        .configure(webhooks::configure)
        .configure(reports::configure)
        .configure(text_modules_and_templates);
}

/// Text modules, salutations and signatures.
fn text_modules_and_templates(cfg: &mut ServiceConfig<'_>) {
    cfg.service(text_modules::list_text_modules)
        .service(text_modules::create_text_module)
        .service(text_modules::get_text_module)
        .service(text_modules::update_text_module)
        .service(text_modules::delete_text_module)
        .service(text_modules::render_text_module)
        .service(reply_templates::list_salutations)
        .service(reply_templates::create_salutation)
        .service(reply_templates::get_salutation)
        .service(reply_templates::update_salutation)
        .service(reply_templates::delete_salutation)
        .service(reply_templates::list_signatures)
        .service(reply_templates::create_signature)
        .service(reply_templates::get_signature)
        .service(reply_templates::update_signature)
        .service(reply_templates::delete_signature);
}

/// Operational endpoints at the root: health, readiness, metrics.
pub fn system(cfg: &mut ServiceConfig<'_>) {
    cfg.service(system::healthz)
        .service(system::readyz)
        .service(system::metrics);
}
