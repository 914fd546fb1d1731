import EvoLinkSim
