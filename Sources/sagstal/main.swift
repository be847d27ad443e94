print("sagstal")
