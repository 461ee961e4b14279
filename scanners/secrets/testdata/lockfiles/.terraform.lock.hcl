provider "registry.terraform.io/hashicorp/vault" {
  version = "4.2.0"
  hashes = [
    "h1:5vCh+7Q8iRltz8vvhZCPGatMX3zE9MRSKEaXdXaD1+8=",
    "zh:bf7f457fe1e46b40ccc508301e95e16f584c83e38bded4f9fb8b0c8575cdd71c",
  ]
}
