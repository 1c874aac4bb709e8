"""Texts of `thottopilot demo-data`."""

DEMO_HELP = "seed demo creators and events for the admin dashboard"
DEMO_CONFIRM_HELP = "really write demo data into this database (never on production)"
DEMO_NEEDS_FLAG = ("thottopilot demo-data writes made-up creators into {db}. If that is "
                   "what you want (a local or staging copy), run it again with --yes.")
DEMO_DONE = ("Seeded {users} demo creators and {events} events ({paying} paying). "
             "Sign in to the web companion as an admin to see the reports on its dashboard.")
DEMO_ALREADY = "Demo data is already there; nothing changed."
