"""Data of the demo IT park: hardware by model, virtual machines, applications, registers.

Tables are written as text (one row per line, cells separated by « | ») so that they read
like the spreadsheets they stand for; `table()` turns them into rows.
"""

from dpti.itpark.models import Device

SEED = 2029
K = Device.Kind  # the tables name device kinds
SITE_OCTET = {"VAU": 10, "FOC": 20, "DUC": 30}
DOMAIN = "congres.local"
COMPANIES = [  # name, RIDET, activity
    ("OPT-NC", "0074591.001", "opérateur de télécommunications (Mobilis, fibre)"),
    ("Nautile", "0652113.001", "fournisseur d'accès à internet"),
    ("Microsoft", "1203301.001", "éditeur de logiciels"),
    ("Veeam Software", "1203302.001", "éditeur de logiciels de sauvegarde"),
    ("ESET", "1203303.001", "éditeur de logiciels de sécurité"),
    ("Ciril Group", "1203304.001", "éditeur de progiciels (Civil Net RH, Civil Net Finances)"),
    ("Hyland (Alfresco)", "1203305.001", "éditeur de gestion électronique de documents"),
    ("Adobe", "1203306.001", "éditeur de logiciels"),
]
# model | kind | processor | cores | memory GB | disk GB | operating system | version | MAC prefix
HARDWARE = """
OptiPlex 7010 | workstation | Intel Core i5-13500 | 14 | 16 | 512 | win | 24H2 | F4:8E:38
OptiPlex 7090 | workstation | Intel Core i5-10505 | 6 | 16 | 512 | win | 23H2 | F4:8E:38
EliteDesk 800 G6 | workstation | Intel Core i5-10500 | 6 | 8 | 256 | win | 23H2 | 3C:52:82
Compaq 8200 Elite | workstation | Intel Core i3-2120 | 2 | 4 | 250 | Windows 7 Professionnel | SP1
  3C:52:82
ThinkPad T14 Gen 3 | laptop | Intel Core i7-1260P | 12 | 16 | 512 | win | 24H2 | 8C:16:45
EliteBook 840 G9 | laptop | Intel Core i5-1245U | 10 | 16 | 512 | win | 24H2 | 3C:52:82
Latitude 5440 | laptop | Intel Core i5-1345U | 10 | 16 | 512 | win | 24H2 | F4:8E:38
MacBook Pro 14 pouces | laptop | Apple M3 Pro | 11 | 18 | 1024 | macOS | 15 Sequoia | F0:18:98
iPad Air 11 pouces | tablet | Apple M2 | 8 | 8 | 128 | iPadOS | 18.5 | F0:18:98
Surface Pro 9 | tablet | Intel Core i5-1235U | 10 | 8 | 256 | win | 24H2 | C4:9D:ED
Galaxy A54 | smartphone | Exynos 1380 | 8 | 8 | 128 | Android | 14 | 8C:79:F5
iPhone 13 | smartphone | Apple A15 Bionic | 6 | 4 | 128 | iOS | 18.5 | F0:18:98
8028s | phone | | | | | | | 00:80:9F
T54W | phone | | | | | | | 80:5E:C0
CP965 | phone | | | | | | | 80:5E:C0
IM C3000 | printer | | | 2 | 320 | | | 00:26:73
imageRUNNER ADVANCE C5840i | printer | | | 3 | 250 | | | 00:1E:8F
LaserJet Pro M404dn | printer | | | | | | | 3C:52:82
HL-L8360CDW | printer | | | | | | | 30:05:5C
PowerEdge R750 | server | 2 x Intel Xeon Silver 4314 | 32 | 512 | 3840 | VMware ESXi | 8.0 U3
  B0:7B:25
ProLiant DL380 Gen10 | server | Intel Xeon Silver 4210R | 10 | 64 | 7680 | Windows Server 2022
  21H2 | 94:40:C9
AFF A250 | server | | | 128 | 46000 | NetApp ONTAP | 9.14 | 00:A0:98
PowerVault ME5012 | server | | | 16 | 96000 | | | B0:7B:25
CX 6300M | switch | | | | | ArubaOS-CX | 10.13 | 20:4C:03
CX 6100 | switch | | | | | ArubaOS-CX | 10.13 | 20:4C:03
Catalyst 9200 | switch | | | | | Cisco IOS XE | 17.9 | 00:1B:54
FortiGate 200F | firewall | | | | | FortiOS | 7.4.4 | 00:09:0F
AP-515 | access_point | | | | | ArubaOS | 10.6 | 20:4C:03
ISR 1121 | router | | | 4 | 8 | Cisco IOS XE | 17.12 | 00:1B:54
"""
WINDOWS = "Windows 11 Professionnel"
PREFIXES = {K.WORKSTATION: "PC", K.LAPTOP: "PORT", K.TABLET: "TAB", K.SMARTPHONE: "SMP"}
PREFIXES |= {K.PRINTER: "IMP", K.SWITCH: "SW", K.ACCESS_POINT: "AP", K.ROUTER: "RTR"}
PHYSICAL_SERVERS = ["SRV-BKP-01", "SRV-BKP-02", "SRV-AD-02", "SRV-IPBX-01", "SRV-VID-01"]
# Virtual machines: name, operating system, cores, memory, disk, DMZ, description
VMS = """
SRV-AD-01 | Windows Server 2022 | 4 | 16 | 120 | 0 | Contrôleur de domaine, DNS, DHCP
SRV-FIC-01 | Windows Server 2022 | 4 | 16 | 4000 | 0 | Serveur de fichiers (partages des services)
SRV-GED-01 | Ubuntu Server 22.04 LTS | 8 | 32 | 2000 | 0 | GED Alfresco
SRV-SQL-01 | Windows Server 2019 | 8 | 64 | 1000 | 0 | SQL Server 2019 (instance mutualisée)
SRV-WEB-01 | Debian 12 | 2 | 8 | 200 | 1 | Site web public (nginx, WordPress)
SRV-EXC-01 | Windows Server 2019 | 8 | 48 | 2500 | 0 | Exchange Server 2019
SRV-SEA-01 | Windows Server 2022 | 4 | 16 | 300 | 0 | Séances et délibérations
SRV-PEL-01 | Debian 12 | 2 | 8 | 100 | 1 | Portail des élus (frontal)
SRV-PAIE-01 | Windows Server 2019 | 4 | 16 | 200 | 0 | Civil Net RH (paie)
SRV-FIN-01 | Windows Server 2019 | 4 | 16 | 200 | 0 | Civil Net Finances
SRV-SUP-01 | Debian 12 | 2 | 8 | 200 | 0 | Supervision (Centreon)
SRV-WSUS-01 | Windows Server 2022 | 2 | 8 | 600 | 0 | Mises à jour Windows (WSUS)
SRV-IMP-01 | Windows Server 2022 | 2 | 8 | 100 | 0 | Serveur d'impression
SRV-COUR-01 | Windows Server 2022 | 2 | 8 | 150 | 0 | Gestion des courriers
SRV-RDS-01 | Windows Server 2022 | 8 | 64 | 300 | 0 | Bureaux à distance (télétravail)
SRV-AV-01 | Windows Server 2022 | 2 | 8 | 100 | 0 | Console antivirus ESET PROTECT
"""
# name | kind | hosting | criticality | users | vendor | owner unit | servers | depends on | text
APPLICATIONS = """
Active Directory | infrastructure | on_premises | 4 | 320 | Microsoft | SIT | SRV-AD-01 SRV-AD-02
  | Annuaire, authentification et stratégies de groupe.
Base de données SQL Server | infrastructure | on_premises | 4 | | Microsoft | SIT | SRV-SQL-01
  Active Directory | Instance mutualisée des applications métier.
GED Alfresco | business | on_premises | 3 | 300 | Hyland (Alfresco) | SG | SRV-GED-01
  Base de données SQL Server;Active Directory
  Gestion électronique des documents de l'institution.
Séances & délibérations | business | on_premises | 4 | 80 | Océanie Logiciels | SSEA | SRV-SEA-01
  GED Alfresco | Ordres du jour, rapports, votes et délibérations.
Portail des élus | business | on_premises | 3 | 54 | Océanie Logiciels | SSEA | SRV-PEL-01
  Séances & délibérations;Active Directory
  Documents de séance et convocations en ligne pour les élus.
Messagerie Exchange | infrastructure | on_premises | 4 | 360 | Microsoft | SIT | SRV-EXC-01
  Active Directory | Messagerie et agendas.
Paie — Civil Net RH | business | on_premises | 3 | 12 | Ciril Group | SRH | SRV-PAIE-01
  Base de données SQL Server | Carrières et paie des agents et indemnités des élus.
Finances — Civil Net Finances | business | on_premises | 3 | 25 | Ciril Group | SFIN | SRV-FIN-01
  Base de données SQL Server | Budget, engagements, mandats et marchés.
Site web du Congrès | business | on_premises | 2 | | Pacific Informatique | SCOM | SRV-WEB-01
  | Site institutionnel www.congres.nc.
Téléphonie IP | infrastructure | on_premises | 3 | 350 | Lagon Télécom Services | SIT
  SRV-IPBX-01 | Active Directory | Autocommutateur IP et postes téléphoniques.
Sauvegarde Veeam | infrastructure | on_premises | 4 | | Veeam Software | SIT
  SRV-BKP-01 SRV-BKP-02 | Active Directory
  Sauvegarde des machines virtuelles et copie sur le site de Ducos.
Supervision | infrastructure | on_premises | 2 | 5 | | SIT | SRV-SUP-01
  | Surveillance des serveurs, du réseau et des sauvegardes (Centreon).
Gestion des courriers | business | on_premises | 2 | 120 | Océanie Logiciels | SG | SRV-COUR-01
  GED Alfresco | Enregistrement et suivi des courriers entrants et sortants.
Diffusion des séances | business | on_premises | 2 | | Caledonia Réseaux | SCOM | SRV-VID-01
  Site web du Congrès | Captation et retransmission en direct des séances publiques.
Microsoft 365 | business | saas | 3 | 270 | Microsoft | SIT | | Active Directory
  Bureautique, Teams et OneDrive.
Antivirus ESET PROTECT | infrastructure | on_premises | 3 | | ESET | SIT | SRV-AV-01
  | Protection des postes et des serveurs.
"""
# name | kind | D I C T | personal | purpose | retention | owner unit | applications
INFORMATION = """
Délibérations et procès-verbaux des séances | data | 3 4 1 4 | 0
  | Conservation définitive (archives publiques) | SSEA | Séances & délibérations;GED Alfresco
Données RH et paie des agents | data | 3 4 4 3 | 1
  Gestion administrative et rémunération des agents
  5 ans après le départ ; bulletins de paie 50 ans | SRH | Paie — Civil Net RH
Indemnités et frais des élus | data | 2 4 3 4 | 1
  Versement des indemnités et remboursement des frais de mandat | 10 ans | SFIN
  Paie — Civil Net RH;Finances — Civil Net Finances
Annuaire des élus | data | 2 3 2 2 | 1 | Contact des élus et convocations | Durée du mandat + 1 an
  SSEA | Portail des élus;Messagerie Exchange
Courriers entrants et sortants | data | 2 3 3 3 | 1 | Enregistrement et suivi des correspondances
  10 ans puis tri pour les archives | SG | Gestion des courriers;GED Alfresco
Vidéos des séances publiques | data | 2 3 1 2 | 1 | Diffusion publique des débats
  Conservation définitive | SCOM | Diffusion des séances;Site web du Congrès
Comptes utilisateurs et habilitations | data | 4 4 3 4 | 1
  Authentification et contrôle des accès au système d'information | Durée de l'emploi + 6 mois
  SIT | Active Directory
Budget, comptabilité et marchés | data | 3 4 2 4 | 0 | | 10 ans | SFIN
  Finances — Civil Net Finances
Journaux de connexion et de sécurité | data | 2 4 3 4 | 1 | Sécurité du système d'information
  1 an | SIT | Supervision;Active Directory
Préparation et tenue des séances plénières | process | 4 3 2 3 | 0 | | | SSEA
  Séances & délibérations;Portail des élus;Diffusion des séances
"""
# title | kind | months since the last review (negative next: overdue by days) | applications
PROCEDURES = """
Sauvegarde quotidienne et externalisation à Ducos | backup | 3 | Sauvegarde Veeam
Restauration d'un serveur ou de fichiers | restoration | 14 | Sauvegarde Veeam
Création, modification et désactivation des comptes | accounts | 5
  Active Directory;Messagerie Exchange
Gestion des incidents et astreinte informatique | incident | 13 | Supervision
Gestion des changements en production | change | 2 | Base de données SQL Server
Supervision et traitement des alertes | monitoring | 7 | Supervision
Mise à jour mensuelle des serveurs et des postes | change | 1 | Antivirus ESET PROTECT
Bascule sur le site de secours de Ducos | other | 10 | Sauvegarde Veeam;Active Directory
"""


def table(text):
    """Rows of a '|'-separated block (indented lines go on with the row above), cells stripped."""
    lines = []
    for line in text.strip().splitlines():
        if line.startswith("  "):
            lines[-1] += " | " + line.strip()
        else:
            lines.append(line)
    return [[cell.strip() for cell in line.split("|")] for line in lines]


def names(cell):
    return [part.strip() for part in cell.split(";") if part.strip()]
