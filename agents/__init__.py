"""Mesa agents of renosim (ODD §3): residents and the collective actors.

``Resident`` / ``PartyMember`` are readable views onto the household arrays of :mod:`sim.households`
and carry the per-resident rule ``decide()``; ``Council``, ``StreetOffice``, ``HousingBureau`` and
``Contractor`` are ordinary Mesa agents, one per compound (the bureau one per model).
"""

from agents.contractor import Contractor
from agents.council import Council
from agents.housing_bureau import HousingBureau
from agents.resident import PartyMember, Resident, ResidentState
from agents.street_office import StreetOffice

__all__ = ["Contractor", "Council", "HousingBureau", "PartyMember", "Resident", "ResidentState", "StreetOffice"]
