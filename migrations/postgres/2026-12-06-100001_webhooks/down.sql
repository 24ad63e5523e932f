DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DELETE FROM event_cursors WHERE name = 'webhooks';
