-- Tickets paid online through Stripe Checkout (a direct charge on the venue's connected account). A ticket session names
-- the reservation it pays; one session per reservation. A session whose payment was given back (the hold ran out first,
-- or the reservation was cancelled) is REFUNDED (5) and keeps Stripe's refund id. The reservation keeps the session that
-- paid it, so its cancellation refunds through Stripe.

ALTER TABLE checkout_sessions DROP CONSTRAINT IF EXISTS checkout_sessions_kind_check;
ALTER TABLE checkout_sessions ADD CONSTRAINT checkout_sessions_kind_check CHECK (kind BETWEEN 0 AND 2);
ALTER TABLE checkout_sessions DROP CONSTRAINT IF EXISTS checkout_sessions_status_check;
ALTER TABLE checkout_sessions ADD CONSTRAINT checkout_sessions_status_check CHECK (status BETWEEN 0 AND 5);
ALTER TABLE checkout_sessions ADD COLUMN event_id uuid;
ALTER TABLE checkout_sessions ADD COLUMN reservation_id uuid;
ALTER TABLE checkout_sessions ADD COLUMN stripe_refund_id text;
ALTER TABLE checkout_sessions ADD CONSTRAINT checkout_sessions_ticket_check CHECK ((kind = 2) = (reservation_id IS NOT NULL AND event_id IS NOT NULL));
CREATE UNIQUE INDEX checkout_sessions_reservation ON checkout_sessions (reservation_id) WHERE reservation_id IS NOT NULL;

ALTER TABLE reservations ADD COLUMN checkout_session text;
