-- Tables and orders of the bar and restaurant till. An order's lines and payments are its document (written only by its
-- order grain, with an optimistic version); the columns beside it serve the table plan and the preparation feeds.

CREATE TABLE order_tables (
    venue_id    text        NOT NULL,
    table_id    text        NOT NULL,
    name        text        NOT NULL,
    fixed       boolean     NOT NULL,
    archived    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (venue_id, table_id)
);

CREATE TABLE orders (
    order_id          uuid        PRIMARY KEY,
    venue_id          text        NOT NULL,
    point_of_sale_id  text        NOT NULL,
    table_id          text,
    ticket_number     integer,
    status            smallint    NOT NULL,
    total             bigint      NOT NULL,
    remaining         bigint      NOT NULL,
    opened_at         timestamptz NOT NULL,
    closed_at         timestamptz,
    version           integer     NOT NULL,
    doc               jsonb       NOT NULL,
    CHECK ((table_id IS NULL) <> (ticket_number IS NULL))
);

CREATE INDEX orders_open_by_venue ON orders (venue_id, table_id) WHERE closed_at IS NULL;

CREATE TABLE order_ticket_counters (
    venue_id  text    PRIMARY KEY,
    last      integer NOT NULL
);
