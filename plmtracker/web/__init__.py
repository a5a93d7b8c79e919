"""Web plumbing every app shares: request helpers and middleware, parsers, URL converters,
input validators, the day range, the outage answer, the site-wide and error views, the API's
error shape and CSV/XLSX downloads. It imports no app and no model."""
