"""Where other apps take part in an order without orders importing them.

* `checking_lines` is sent by `checks.line_problems` with `lines` (the orderable CartLines)
  and `request`; each receiver returns a list of `checks.Problem` (empty when it has none).
  consultations/pharmacy.py refuses a pharmacy medicine whose questions are not answered.
* `order_placed` is sent by `services.place_order` inside its transaction, after the order's
  lines are saved, with `order` and `request`. consultations/pharmacy.py copies the answers
  onto the lines for the pharmacist's clinical check.
"""

from django.dispatch import Signal

checking_lines = Signal()
order_placed = Signal()
