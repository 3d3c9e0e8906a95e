"""The admin area (accounts, keys, the organisation's settings) and the access log page: thin
states and pages over admin/service.py, which checks the level and logs every change."""
