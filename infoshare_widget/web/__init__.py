"""The web layer around the app: security headers and CORS, the first paint, the storage shim, and
the server launcher."""
