"""The simulator's demo secrets. ``seed_demo`` stores them (encrypted) in sandbox credentials.

They open nothing but the local simulator.
"""

SANAR_TOKEN = "sim-sanar-token-7f3a9c21"
SANAR_CMT_SECRET = "sim-sanar-cmt-secret-5e8b1d47"
SANAR_PRODUCT_CODE = "PRD-KIDS-01"
SANDICARE_SANDBOX_KEY = "sdx_" + "simsandboxkey0123456789a"
SANDICARE_PRODUCTION_KEY = "prd_" + "simproductionkey01234567"
SANDICARE_PROGRAM_IDS = ("1001", "1002")

# Path prefixes of the three APIs on the simulator's port.
SANAR_VIDEO_PATH = "/sanar-video/v1"
SANAR_VACCINATION_PATH = "/sanar-vaccination/v1"
SANDICARE_SANDBOX_PATH = "/sandicare-sandbox/api/v1"
SANDICARE_PRODUCTION_PATH = "/sandicare/api/v1"

# Unifonic (SMS and WhatsApp): make run sets the portal's UNIFONIC_* settings to these.
UNIFONIC_APP_SID = "sim-unifonic-appsid-4c1e7b90"
UNIFONIC_SENDER_ID = "Clinic"
UNIFONIC_PUBLIC_ID = "sim-unifonic-public-2d9f"
UNIFONIC_SECRET = "sim-unifonic-secret-8a61e3f5"
