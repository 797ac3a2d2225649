"""The visitor's shopping cart: pack sizes and counts, kept in the database.

The session only holds a random token naming the cart, so concurrent requests of
one session add lines to the same rows instead of overwriting each other's session.
"""
