"""Second factor (TOTP with recovery codes) for everyone who can plan, administer or reach the admin site."""
