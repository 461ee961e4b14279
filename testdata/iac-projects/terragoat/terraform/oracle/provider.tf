provider "oci" {
  #these to be provided by env vars
  # private_key_path
  # fingerprint
  # tenancy_ocid 
  # user_ocid   
  region = "uk-london-1"
}