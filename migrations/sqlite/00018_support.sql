-- +goose Up
-- Support chat (docs/support.md). Owned by internal/support.
--
-- A conversation belongs to a customer (customer_id) or to a guest, who holds
-- a conversation-scoped token; only its SHA-256 (token_hash) is kept.
-- last_seq numbers the conversation's messages 1, 2, 3...: a client resumes
-- from the last seq it saw. bot_state is the bot's memory of the conversation
-- (quiz answers so far, unanswered turns), JSON. The *_read_seq columns are
-- each side's read marker. handed_over_at is when the conversation first
-- reached a person (status open), first_agent_reply_at the first agent
-- message that was not an internal note; both feed the support metrics.
CREATE TABLE support_conversations (
    id                   TEXT PRIMARY KEY,
    customer_id          TEXT REFERENCES customers(id),
    email                TEXT,
    order_id             TEXT REFERENCES orders(id),
    subject              TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('bot', 'open', 'pending', 'closed')),
    assignee_id          TEXT REFERENCES staff_users(id),
    channel              TEXT NOT NULL CHECK (channel IN ('web', 'mobile', 'email')),
    tags                 TEXT NOT NULL DEFAULT '[]',
    locale               TEXT NOT NULL DEFAULT 'en',
    token_hash           TEXT UNIQUE,
    client_ip            TEXT NOT NULL DEFAULT '',
    last_seq             BIGINT NOT NULL DEFAULT 0,
    customer_read_seq    BIGINT NOT NULL DEFAULT 0,
    agent_read_seq       BIGINT NOT NULL DEFAULT 0,
    bot_state            TEXT NOT NULL DEFAULT '{}',
    rating               INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment       TEXT,
    rated_at             TIMESTAMP,
    first_customer_message_at TIMESTAMP,
    handed_over_at       TIMESTAMP,
    first_agent_reply_at TIMESTAMP,
    closed_at            TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    CHECK (customer_id IS NOT NULL OR token_hash IS NOT NULL)
);
CREATE INDEX support_conversations_status ON support_conversations (status, updated_at);
CREATE INDEX support_conversations_customer ON support_conversations (customer_id, created_at);
CREATE INDEX support_conversations_assignee ON support_conversations (assignee_id, status);
CREATE INDEX support_conversations_closed ON support_conversations (closed_at);

-- support_messages: seq is the message's place in its conversation (from
-- last_seq). suggestions and order_card are the bot's structured extras
-- (JSON; NULL when absent). internal notes are never shown to the customer.
CREATE TABLE support_messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES support_conversations(id),
    seq             BIGINT NOT NULL,
    author          TEXT NOT NULL CHECK (author IN ('customer', 'agent', 'bot')),
    author_id       TEXT,
    body            TEXT NOT NULL,
    internal        BOOLEAN NOT NULL DEFAULT FALSE,
    suggestions     TEXT,
    order_card      TEXT,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (conversation_id, seq)
);

-- support_faqs: the bot's FAQ, managed by staff; keywords is a JSON array.
CREATE TABLE support_faqs (
    id         TEXT PRIMARY KEY,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    keywords   TEXT NOT NULL DEFAULT '[]',
    locale     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX support_faqs_locale ON support_faqs (locale);

-- support_canned_replies: agents' saved answers, with {{first_name}} and
-- {{order_number}} placeholders filled in when used.
CREATE TABLE support_canned_replies (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    locale     TEXT NOT NULL DEFAULT 'en',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- skin_profile: a signed-in customer's answers to the bot's skin quiz
-- (JSON: skin_type, concern, preferences[]), kept for recommendations.
ALTER TABLE customers ADD COLUMN skin_profile TEXT;

-- +goose Down
ALTER TABLE customers DROP COLUMN skin_profile;
DROP TABLE support_canned_replies;
DROP TABLE support_faqs;
DROP TABLE support_messages;
DROP TABLE support_conversations;
