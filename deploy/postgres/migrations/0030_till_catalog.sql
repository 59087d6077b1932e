-- The till's catalog (docs/architecture.md, "Till"): categories carry a VAT rate, products may override it; a product is
-- placed on chosen points of sale with a price and a position there. Archiving hides a product; sale lines keep their own
-- copy of names, rates and prices, so old sales never change.

-- Managers void and close; the role sits between CASHIER and ADMIN.
ALTER TABLE venue_roles DROP CONSTRAINT IF EXISTS venue_roles_role_check;
ALTER TABLE venue_roles ADD CONSTRAINT venue_roles_role_check CHECK (role IN ('ADMIN', 'MANAGER', 'CASHIER', 'VIEWER'));

CREATE TABLE catalog_categories (
    category_id uuid PRIMARY KEY,
    venue_id    text NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    vat_rate    integer NOT NULL CHECK (vat_rate BETWEEN 0 AND 10000),   -- basis points: 2000 = 20 %
    station     text CHECK (station IS NULL OR length(station) BETWEEN 1 AND 100),  -- preparation station (bar, kitchen)
    archived    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_categories_venue ON catalog_categories (venue_id);

CREATE TABLE catalog_products (
    product_id     uuid PRIMARY KEY,
    venue_id       text NOT NULL,
    category_id    uuid NOT NULL REFERENCES catalog_categories (category_id),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    behaviour      smallint NOT NULL CHECK (behaviour BETWEEN 0 AND 6),
    vat_rate       integer CHECK (vat_rate BETWEEN 0 AND 10000),         -- overrides the category's when set
    asset_id       uuid,                                                 -- sale: payable only in it; top-up: the asset credited
    stock          bigint,                                               -- null: not counted
    allow_negative boolean NOT NULL DEFAULT false,
    archived       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- The last guard of stock: a decrement that would go below zero fails, unless the product allows it.
    CONSTRAINT catalog_products_stock_non_negative CHECK (stock IS NULL OR stock >= 0 OR allow_negative)
);
CREATE INDEX catalog_products_venue ON catalog_products (venue_id);

-- Where a product is sold, at what price and in which position on that till's screen.
CREATE TABLE catalog_placements (
    product_id       uuid NOT NULL REFERENCES catalog_products (product_id),
    point_of_sale_id text NOT NULL,
    price            bigint NOT NULL CHECK (price >= 0),
    position         integer NOT NULL,
    PRIMARY KEY (product_id, point_of_sale_id)
);
CREATE INDEX catalog_placements_pos ON catalog_placements (point_of_sale_id, position);

-- Stock taken by a sale, once per sale key and product: a retried sale takes nothing more, a declined one gives it back.
CREATE TABLE catalog_stock_moves (
    idempotency_key text NOT NULL,
    product_id      uuid NOT NULL,
    quantity        bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (idempotency_key, product_id)
);
