"""Bringing a WooCommerce shop's catalogue into Formulary.

csvfile: reading the export; description: description HTML -> section blocks;
products: product rows -> pages and pack sizes; importer: running a whole file
(dry run, per-product transactions, the report). The management command
`import_woocommerce` only parses its arguments and prints the report.
"""
