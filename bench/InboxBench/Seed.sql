-- One workspace with 100,000 contacts, 20,000 conversations (3 connections, 20 agents) and 1,000,000 messages.
-- Deterministic apart from the ids, so runs compare. Message text is stored encrypted, as the product stores it
-- (one ciphertext for all rows: decrypting costs the same).
INSERT INTO "Contacts" ("Id", "WorkspaceId", "DisplayName", "NameKey", "PhoneNumbers", "Emails", "CreatedAt", "UpdatedAt",
                        "AttributeIndex", "Attributes", "Blocked", "ConsentHistory", "MarketingConsent", "ProcessingRestricted", "Tags")
SELECT md5('contact' || i)::uuid, @workspace,
       (ARRAY['Ann','Bob','Carla','Dmitri','Eva','Farid','Grace','Hiro','Ines','Jonas','Kemal','Lena','Mara','Nils','Olga','Pablo','Quinn','Rosa','Sven','Tara'])[1 + i % 20]
         || ' ' || (ARRAY['Lee','Stone','Novak','Berg','Costa','Haas','Ito','Klein','Lind','Moreau','Nagy','Olsen','Petrov','Quist','Rossi','Sato','Toth','Umar','Vogel','Weber'])[1 + (i / 20) % 20]
         || ' ' || i,
       '',
       ARRAY['+1415' || (2000000 + i)::text], ARRAY['customer' || i || '@example.com'],
       now() - (i || ' seconds')::interval, now(), '{}', '{}', false, '[]', false, false, '{}'
FROM generate_series(1, 100000) AS i;
UPDATE "Contacts" SET "NameKey" = lower("DisplayName");

INSERT INTO "ChannelIdentities" ("Id", "WorkspaceId", "ContactId", "Channel", "ExternalId", "Username", "CreatedAt")
SELECT md5('identity' || i)::uuid, @workspace, md5('contact' || i)::uuid, i % 3, 'ext-' || i, NULL, now()
FROM generate_series(1, 100000) AS i;

INSERT INTO "Conversations" ("Id", "WorkspaceId", "ContactId", "ConnectionId", "Channel", "ConversationKey", "Status", "Priority",
                             "AssigneeId", "TeamId", "Labels", "WaitingSince", "LastActivityAt", "CreatedAt", "UpdatedAt")
SELECT md5('conversation' || c)::uuid, @workspace, md5('contact' || (c * 5))::uuid, md5('connection' || (c % 3))::uuid, c % 3,
       'chat-' || c,
       CASE WHEN (c / 20) % 10 < 6 THEN 0 WHEN (c / 20) % 10 < 8 THEN 1 ELSE 3 END,
       0,
       CASE WHEN c % 21 = 0 THEN NULL ELSE md5('agent' || (c % 20))::uuid END,
       NULL, '{}', now() - (c || ' minutes')::interval,
       now() - ((c * 7) % 20000 || ' minutes')::interval, now() - interval '30 days', now()
FROM generate_series(1, 20000) AS c;

INSERT INTO "Messages" ("Id", "WorkspaceId", "ConversationId", "ConnectionId", "Direction", "Kind", "Text", "IsPrivate", "Attachments",
                        "ProviderMessageId", "Status", "AuthorType", "SentAt", "CreatedAt")
SELECT md5('message' || m)::uuid, @workspace, md5('conversation' || (1 + m % 20000))::uuid, md5('connection' || ((1 + m % 20000) % 3))::uuid,
       m % 2, 0, @text, false, '[]',
       CASE WHEN m % 2 = 0 THEN 'p' || m ELSE NULL END,
       CASE WHEN m % 2 = 0 THEN 0 ELSE 2 END,
       CASE WHEN m % 2 = 0 THEN 0 ELSE 1 END,
       now() - interval '30 days' + (m || ' seconds')::interval, now() - interval '30 days' + (m || ' seconds')::interval
FROM generate_series(1, 1000000) AS m;
